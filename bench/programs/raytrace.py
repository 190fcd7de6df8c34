"""A small Whitted-style ray tracer.

Vectors, colours, rays, spheres, a checkered plane, point lights and a
camera are classes; vector arithmetic goes through operator methods.
Rendering does diffuse and specular shading, hard shadows and recursive
reflections.  Prints the image size and checksums of the 8-bit pixels.
"""
import sys

EPSILON = 1e-6
INFINITY = 1e30


class Vec:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y, self.z - other.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec(-self.x, -self.y, -self.z)

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def cross(self, other):
        return Vec(self.y * other.z - self.z * other.y,
                   self.z * other.x - self.x * other.z,
                   self.x * other.y - self.y * other.x)

    def length(self):
        return self.dot(self) ** 0.5

    def normalized(self):
        return self * (1.0 / self.length())

    def reflect(self, normal):
        return self - normal * (2.0 * self.dot(normal))

    def __repr__(self):
        return "Vec(%g, %g, %g)" % (self.x, self.y, self.z)


class Color:
    __slots__ = ("r", "g", "b")

    def __init__(self, r, g, b):
        self.r = r
        self.g = g
        self.b = b

    def __add__(self, other):
        return Color(self.r + other.r, self.g + other.g, self.b + other.b)

    def __mul__(self, other):
        if isinstance(other, Color):
            return Color(self.r * other.r, self.g * other.g, self.b * other.b)
        return Color(self.r * other, self.g * other, self.b * other)

    def to_bytes(self):
        return tuple(max(0, min(255, int(c * 255.0 + 0.5))) for c in (self.r, self.g, self.b))


BLACK = Color(0.0, 0.0, 0.0)


class Ray:
    __slots__ = ("origin", "direction")

    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction

    def at(self, t):
        return self.origin + self.direction * t


class Material:
    def __init__(self, color, diffuse=0.8, specular=0.4, shininess=30, reflect=0.0,
                 checker=None):
        self.color = color
        self.diffuse = diffuse
        self.specular = specular
        self.shininess = shininess
        self.reflect = reflect
        self.checker = checker

    def color_at(self, point):
        if self.checker is None:
            return self.color
        if (int(point.x // 1.0) + int(point.z // 1.0)) % 2 == 0:
            return self.color
        return self.checker


class Sphere:
    def __init__(self, center, radius, material):
        self.center = center
        self.radius = radius
        self.material = material

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return None
        root = disc ** 0.5
        t = -b - root
        if t > EPSILON:
            return t
        t = -b + root
        if t > EPSILON:
            return t
        return None

    def normal_at(self, point):
        return (point - self.center).normalized()


class Plane:
    def __init__(self, point, normal, material):
        self.point = point
        self.normal = normal.normalized()
        self.material = material

    def intersect(self, ray):
        denom = ray.direction.dot(self.normal)
        if abs(denom) < EPSILON:
            return None
        t = (self.point - ray.origin).dot(self.normal) / denom
        return t if t > EPSILON else None

    def normal_at(self, point):
        return self.normal


class Light:
    def __init__(self, position, color):
        self.position = position
        self.color = color


class Hit:
    __slots__ = ("shape", "distance", "point", "normal")

    def __init__(self, shape, distance, point, normal):
        self.shape = shape
        self.distance = distance
        self.point = point
        self.normal = normal


class Scene:
    def __init__(self, shapes, lights, ambient, max_depth=3):
        self.shapes = shapes
        self.lights = lights
        self.ambient = ambient
        self.max_depth = max_depth

    def nearest(self, ray):
        best = None
        best_t = INFINITY
        for shape in self.shapes:
            t = shape.intersect(ray)
            if t is not None and t < best_t:
                best_t = t
                best = shape
        if best is None:
            return None
        point = ray.at(best_t)
        return Hit(best, best_t, point, best.normal_at(point))

    def in_shadow(self, point, light):
        to_light = light.position - point
        distance = to_light.length()
        ray = Ray(point, to_light * (1.0 / distance))
        for shape in self.shapes:
            t = shape.intersect(ray)
            if t is not None and t < distance:
                return True
        return False

    def trace(self, ray, depth=0):
        hit = self.nearest(ray)
        if hit is None:
            # sky gradient
            k = 0.5 * (ray.direction.y + 1.0)
            return Color(0.6, 0.7, 0.9) * k + Color(0.1, 0.1, 0.15) * (1.0 - k)
        material = hit.shape.material
        base = material.color_at(hit.point)
        normal = hit.normal
        if normal.dot(ray.direction) > 0.0:
            normal = -normal
        lifted = hit.point + normal * 1e-4
        result = base * self.ambient
        for light in self.lights:
            if self.in_shadow(lifted, light):
                continue
            to_light = (light.position - hit.point).normalized()
            lambert = normal.dot(to_light)
            if lambert > 0.0:
                result = result + base * light.color * (material.diffuse * lambert)
            half = (to_light - ray.direction).normalized()
            spec = normal.dot(half)
            if spec > 0.0:
                result = result + light.color * (material.specular * spec ** material.shininess)
        if material.reflect > 0.0 and depth < self.max_depth:
            bounce = Ray(lifted, ray.direction.reflect(normal).normalized())
            result = result + self.trace(bounce, depth + 1) * material.reflect
        return result


class Camera:
    def __init__(self, eye, target, up, fov_scale, width, height):
        self.eye = eye
        self.forward = (target - eye).normalized()
        self.right = self.forward.cross(up).normalized()
        self.up = self.right.cross(self.forward)
        self.fov_scale = fov_scale
        self.width = width
        self.height = height

    def ray(self, px, py):
        aspect = self.width / self.height
        sx = (2.0 * (px + 0.5) / self.width - 1.0) * aspect * self.fov_scale
        sy = (1.0 - 2.0 * (py + 0.5) / self.height) * self.fov_scale
        direction = (self.forward + self.right * sx + self.up * sy).normalized()
        return Ray(self.eye, direction)


def build_scene():
    shapes = [
        Plane(Vec(0.0, 0.0, 0.0), Vec(0.0, 1.0, 0.0),
              Material(Color(0.9, 0.9, 0.9), reflect=0.2, checker=Color(0.2, 0.2, 0.25))),
        Sphere(Vec(0.0, 1.0, 0.0), 1.0, Material(Color(0.8, 0.2, 0.2), reflect=0.3)),
        Sphere(Vec(-2.2, 0.7, 1.0), 0.7, Material(Color(0.2, 0.8, 0.3), shininess=60)),
        Sphere(Vec(2.0, 0.6, 0.8), 0.6, Material(Color(0.2, 0.3, 0.9), reflect=0.5)),
        Sphere(Vec(0.7, 0.3, 2.0), 0.3, Material(Color(0.9, 0.8, 0.1), specular=0.8)),
    ]
    lights = [
        Light(Vec(-4.0, 6.0, 5.0), Color(0.8, 0.8, 0.8)),
        Light(Vec(5.0, 4.0, -2.0), Color(0.3, 0.3, 0.4)),
    ]
    return Scene(shapes, lights, ambient=0.15)


def render(size):
    width = size
    height = size * 3 // 4
    scene = build_scene()
    camera = Camera(Vec(0.0, 2.2, 7.0), Vec(0.0, 0.8, 0.0), Vec(0.0, 1.0, 0.0),
                    0.6, width, height)
    rows = []
    for py in range(height):
        row = []
        for px in range(width):
            row.append(scene.trace(camera.ray(px, py)).to_bytes())
        rows.append(row)
    return rows


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    image = render(size)
    checksum = 0
    total = [0, 0, 0]
    for row in image:
        for pixel in row:
            for channel in range(3):
                total[channel] += pixel[channel]
            checksum = (checksum * 33 + pixel[0] * 65536 + pixel[1] * 256 + pixel[2]) % 4294967291
    print("raytrace %dx%d rgb_sums=%d,%d,%d checksum=%d"
          % (len(image[0]), len(image), total[0], total[1], total[2], checksum))


main()
