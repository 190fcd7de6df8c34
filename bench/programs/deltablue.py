"""DeltaBlue: an incremental one-way dataflow constraint solver.

Variables are linked by constraints of different strengths (required,
preferred, default, weak ...).  Adding or removing a constraint updates the
"walkabout strength" of variables and re-chooses which way each
multi-way constraint computes; an execution plan is then extracted and run
repeatedly.  Exercised with a long chain of equalities and with a
projection (scale and offset) network.  Prints the number of checks done
and a checksum of the solved values.
"""
import sys

# Strengths: a smaller number is a stronger constraint.
REQUIRED = 0
STRONG_PREFERRED = 1
PREFERRED = 2
STRONG_DEFAULT = 3
NORMAL = 4
WEAK_DEFAULT = 5
WEAKEST = 6

STRENGTH_NAMES = ["required", "strongPreferred", "preferred", "strongDefault",
                  "normal", "weakDefault", "weakest"]


def stronger(a, b):
    return a < b


def weaker(a, b):
    return a > b


def weakest_of(a, b):
    return a if a > b else b


class SolverError(Exception):
    pass


class Variable:
    def __init__(self, name, value=0):
        self.name = name
        self.value = value
        self.constraints = []
        self.determined_by = None
        self.walk_strength = WEAKEST
        self.stay = True
        self.mark = 0

    def attach(self, constraint):
        self.constraints.append(constraint)

    def detach(self, constraint):
        self.constraints = [c for c in self.constraints if c is not constraint]
        if self.determined_by is constraint:
            self.determined_by = None

    def __repr__(self):
        return "Variable(%s=%r)" % (self.name, self.value)


class Constraint:
    def __init__(self, planner, strength):
        self.planner = planner
        self.strength = strength

    def install(self):
        self.attach_to_variables()
        self.planner.incremental_add(self)

    def uninstall(self):
        if self.is_satisfied():
            self.planner.incremental_remove(self)
        self.detach_from_variables()

    def is_input(self):
        return False

    def satisfy(self, mark):
        """Try to enforce this constraint; return the constraint it overrode."""
        self.choose_method(mark)
        if not self.is_satisfied():
            if self.strength == REQUIRED:
                raise SolverError("cannot satisfy a required constraint")
            return None
        self.mark_inputs(mark)
        out = self.output()
        overridden = out.determined_by
        if overridden is not None:
            overridden.mark_unsatisfied()
        out.determined_by = self
        if not self.planner.propagate_from(self, mark):
            raise SolverError("cycle encountered")
        out.mark = mark
        return overridden


class UnaryConstraint(Constraint):
    def __init__(self, planner, variable, strength):
        Constraint.__init__(self, planner, strength)
        self.variable = variable
        self.satisfied = False
        self.install()

    def attach_to_variables(self):
        self.variable.attach(self)
        self.satisfied = False

    def detach_from_variables(self):
        self.variable.detach(self)
        self.satisfied = False

    def choose_method(self, mark):
        v = self.variable
        self.satisfied = v.mark != mark and stronger(self.strength, v.walk_strength)

    def is_satisfied(self):
        return self.satisfied

    def mark_inputs(self, mark):
        pass

    def inputs_known(self, mark):
        return True

    def output(self):
        return self.variable

    def mark_unsatisfied(self):
        self.satisfied = False

    def recalculate(self):
        v = self.variable
        v.walk_strength = self.strength
        v.stay = not self.is_input()
        if v.stay:
            self.execute()

    def execute(self):
        pass


class StayConstraint(UnaryConstraint):
    """Keeps a variable at its current value unless something stronger wins."""


class EditConstraint(UnaryConstraint):
    """Marks a variable as changed from outside (an input of the plan)."""

    def is_input(self):
        return True


FORWARD = 1
BACKWARD = -1
UNDECIDED = 0


class BinaryConstraint(Constraint):
    def __init__(self, planner, first, second, strength):
        Constraint.__init__(self, planner, strength)
        self.first = first
        self.second = second
        self.direction = UNDECIDED

    def variables(self):
        return (self.first, self.second)

    def attach_to_variables(self):
        for v in self.variables():
            v.attach(self)
        self.direction = UNDECIDED

    def detach_from_variables(self):
        for v in self.variables():
            v.detach(self)
        self.direction = UNDECIDED

    def choose_method(self, mark):
        a, b = self.first, self.second
        if a.mark == mark:
            ok = b.mark != mark and stronger(self.strength, b.walk_strength)
            self.direction = FORWARD if ok else UNDECIDED
        elif b.mark == mark:
            ok = a.mark != mark and stronger(self.strength, a.walk_strength)
            self.direction = BACKWARD if ok else UNDECIDED
        elif weaker(a.walk_strength, b.walk_strength):
            self.direction = BACKWARD if stronger(self.strength, a.walk_strength) else UNDECIDED
        else:
            self.direction = FORWARD if stronger(self.strength, b.walk_strength) else UNDECIDED

    def is_satisfied(self):
        return self.direction != UNDECIDED

    def input(self):
        return self.first if self.direction == FORWARD else self.second

    def output(self):
        return self.second if self.direction == FORWARD else self.first

    def mark_inputs(self, mark):
        self.input().mark = mark

    def inputs_known(self, mark):
        source = self.input()
        return source.mark == mark or source.stay or source.determined_by is None

    def mark_unsatisfied(self):
        self.direction = UNDECIDED

    def input_stays(self):
        return self.input().stay

    def recalculate(self):
        source = self.input()
        target = self.output()
        target.walk_strength = weakest_of(self.strength, source.walk_strength)
        target.stay = self.input_stays()
        if target.stay:
            self.execute()


class EqualityConstraint(BinaryConstraint):
    def __init__(self, planner, first, second, strength):
        BinaryConstraint.__init__(self, planner, first, second, strength)
        self.install()

    def execute(self):
        self.output().value = self.input().value


class ScaleConstraint(BinaryConstraint):
    """second = first * scale + offset (either direction)."""

    def __init__(self, planner, source, scale, offset, target, strength):
        BinaryConstraint.__init__(self, planner, source, target, strength)
        self.scale = scale
        self.offset = offset
        self.install()

    def variables(self):
        return (self.first, self.second, self.scale, self.offset)

    def mark_inputs(self, mark):
        self.input().mark = mark
        self.scale.mark = mark
        self.offset.mark = mark

    def input_stays(self):
        return self.input().stay and self.scale.stay and self.offset.stay

    def execute(self):
        if self.direction == FORWARD:
            self.second.value = self.first.value * self.scale.value + self.offset.value
        else:
            self.first.value = (self.second.value - self.offset.value) // self.scale.value


class Plan:
    def __init__(self):
        self.steps = []

    def add(self, constraint):
        self.steps.append(constraint)

    def __len__(self):
        return len(self.steps)

    def run(self):
        for constraint in self.steps:
            constraint.execute()


class Planner:
    def __init__(self):
        self.current_mark = 0

    def next_mark(self):
        self.current_mark += 1
        return self.current_mark

    def incremental_add(self, constraint):
        mark = self.next_mark()
        overridden = constraint.satisfy(mark)
        while overridden is not None:
            overridden = overridden.satisfy(mark)

    def incremental_remove(self, constraint):
        out = constraint.output()
        constraint.mark_unsatisfied()
        constraint.detach_from_variables()
        unsatisfied = self.propagate_removal(out)
        for strength in range(REQUIRED, WEAKEST):
            for c in unsatisfied:
                if c.strength == strength:
                    self.incremental_add(c)

    def consumers(self, variable):
        determining = variable.determined_by
        return [c for c in variable.constraints
                if c is not determining and c.is_satisfied()]

    def propagate_from(self, constraint, mark):
        pending = [constraint]
        while pending:
            c = pending.pop()
            if c.output().mark == mark:
                self.incremental_remove(constraint)
                return False
            c.recalculate()
            pending.extend(self.consumers(c.output()))
        return True

    def propagate_removal(self, out):
        out.determined_by = None
        out.walk_strength = WEAKEST
        out.stay = True
        unsatisfied = []
        pending = [out]
        while pending:
            v = pending.pop()
            for c in v.constraints:
                if not c.is_satisfied():
                    unsatisfied.append(c)
            for c in self.consumers(v):
                c.recalculate()
                pending.append(c.output())
        return unsatisfied

    def make_plan(self, sources):
        mark = self.next_mark()
        plan = Plan()
        pending = list(sources)
        index = 0
        while index < len(pending):
            c = pending[index]
            index += 1
            out = c.output()
            if out.mark != mark and c.inputs_known(mark):
                plan.add(c)
                out.mark = mark
                pending.extend(self.consumers(out))
        return plan

    def plan_for_inputs(self, constraints):
        return self.make_plan([c for c in constraints if c.is_input() and c.is_satisfied()])


class Checker:
    def __init__(self):
        self.checks = 0
        self.checksum = 0

    def expect(self, variable, value):
        if variable.value != value:
            raise SolverError("%r: expected %r" % (variable, value))
        self.checks += 1
        self.checksum = (self.checksum * 31 + value + 7) & 0xFFFFFFF


def chain_test(n, checker):
    """A chain v0 = v1 = ... = vn; editing v0 must drive vn."""
    planner = Planner()
    chain = [Variable("v%d" % i) for i in range(n + 1)]
    for a, b in zip(chain, chain[1:]):
        EqualityConstraint(planner, a, b, REQUIRED)
    StayConstraint(planner, chain[-1], STRONG_DEFAULT)
    edit = EditConstraint(planner, chain[0], PREFERRED)
    plan = planner.plan_for_inputs([edit])
    for value in range(100):
        chain[0].value = value
        plan.run()
        checker.expect(chain[-1], value)
    edit.uninstall()
    return len(plan)


def edit_value(planner, variable, value):
    edit = EditConstraint(planner, variable, PREFERRED)
    plan = planner.plan_for_inputs([edit])
    for _ in range(10):
        variable.value = value
        plan.run()
    edit.uninstall()


def projection_test(n, checker):
    """dst[i] = src[i] * scale + offset for n pairs, edited from both ends."""
    planner = Planner()
    scale = Variable("scale", 10)
    offset = Variable("offset", 1000)
    sources = []
    dests = []
    for i in range(n):
        src = Variable("src%d" % i, i)
        dst = Variable("dst%d" % i, i)
        sources.append(src)
        dests.append(dst)
        StayConstraint(planner, src, NORMAL)
        ScaleConstraint(planner, src, scale, offset, dst, REQUIRED)

    # edit the last pair from both ends, then the shared scale and offset
    edit_value(planner, sources[-1], 17)
    checker.expect(dests[-1], 1170)
    edit_value(planner, dests[-1], 1050)
    checker.expect(sources[-1], 5)
    edit_value(planner, scale, 5)
    for i in range(n - 1):
        checker.expect(dests[i], i * 5 + 1000)
    edit_value(planner, offset, 2000)
    for i in range(n - 1):
        checker.expect(dests[i], i * 5 + 2000)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    checker = Checker()
    plan_sizes = 0
    for _ in range(rounds):
        plan_sizes += chain_test(100, checker)
        projection_test(100, checker)
    print("deltablue rounds=%d checks=%d plan_steps=%d checksum=%d"
          % (rounds, checker.checks, plan_sizes, checker.checksum))


main()
