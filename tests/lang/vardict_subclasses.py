# Instances of classes derived from int, tuple and bytes have a __dict__ (after their items).
class I(int): pass
i = I(3); i.x = 1; print(i.x, i + 1, I(0).__dict__, vars(i))
z = I(0); z.a = "zero"; print(z.a, z == 0, int(z), I(2**100).__dict__)
class T(tuple): pass
t = T((1,2)); t.y = 2; print(t.y, t, len(t), t.__dict__)
class B(bytes): pass
for n in range(10):
    b = B(b"x" * n); b.k = n; assert b.k == n and b == b"x" * n
print(B(b"abc").__dict__, I.__dictoffset__ < 0, T.__dictoffset__ < 0)
print("vardict_subclasses: ok")
