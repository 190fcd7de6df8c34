"""Martin Richards' operating-system simulation benchmark.

A tiny scheduler runs six tasks (an idle task, a worker, two packet
handlers and two devices) that pass work packets between each other.
Tasks are objects with a state bitmask and a priority; the scheduler walks
a linked list of task control blocks.  Prints the number of packets queued
and the number of times a task held itself, which are fixed by the
algorithm.
"""
import sys

ID_IDLE = 0
ID_WORKER = 1
ID_HANDLER_A = 2
ID_HANDLER_B = 3
ID_DEVICE_A = 4
ID_DEVICE_B = 5
NUM_TASKS = 6

KIND_DEVICE = 0
KIND_WORK = 1

BIT_PACKET = 1
BIT_WAIT = 2
BIT_HOLD = 4

BUFFER_LEN = 4


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * BUFFER_LEN

    def append_to(self, queue):
        """Append self to the end of `queue`, returning the new head."""
        self.link = None
        if queue is None:
            return self
        last = queue
        while last.link is not None:
            last = last.link
        last.link = self
        return queue


class Task:
    """A task control block; subclasses implement `step`."""

    def __init__(self, system, ident, priority, queue, state):
        self.system = system
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.state = state
        self.next_task = system.task_list
        system.task_list = self
        system.tasks[ident] = self

    def blocked(self):
        return self.state & BIT_HOLD != 0 or self.state == BIT_WAIT

    def run(self):
        packet = None
        if self.state == BIT_WAIT | BIT_PACKET:
            packet = self.queue
            self.queue = packet.link
            self.state = BIT_PACKET if self.queue is not None else 0
        return self.step(packet)

    def receive(self, packet, current):
        """Deliver `packet`; return the task that should run next."""
        if self.queue is None:
            self.queue = packet
            self.state |= BIT_PACKET
            if self.priority > current.priority:
                return self
        else:
            self.queue = packet.append_to(self.queue)
        return current

    # operations a task performs on the system
    def send(self, packet):
        system = self.system
        target = system.tasks[packet.ident]
        system.queued += 1
        packet.link = None
        packet.ident = self.ident
        return target.receive(packet, self)

    def hold(self):
        self.system.holds += 1
        self.state |= BIT_HOLD
        return self.next_task

    def release(self, ident):
        target = self.system.tasks[ident]
        target.state &= ~BIT_HOLD
        if target.priority > self.priority:
            return target
        return self

    def wait(self):
        self.state |= BIT_WAIT
        return self


class IdleTask(Task):
    def __init__(self, system, count):
        Task.__init__(self, system, ID_IDLE, 0, None, 0)
        self.seed = 1
        self.count = count

    def step(self, packet):
        self.count -= 1
        if self.count == 0:
            return self.hold()
        if self.seed & 1 == 0:
            self.seed >>= 1
            return self.release(ID_DEVICE_A)
        self.seed = (self.seed >> 1) ^ 0xD008
        return self.release(ID_DEVICE_B)


class WorkerTask(Task):
    def __init__(self, system, queue):
        Task.__init__(self, system, ID_WORKER, 1000, queue, BIT_WAIT | BIT_PACKET)
        self.destination = ID_HANDLER_A
        self.letter = 0

    def step(self, packet):
        if packet is None:
            return self.wait()
        if self.destination == ID_HANDLER_A:
            self.destination = ID_HANDLER_B
        else:
            self.destination = ID_HANDLER_A
        packet.ident = self.destination
        packet.datum = 0
        for i in range(BUFFER_LEN):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            packet.data[i] = self.letter
        return self.send(packet)


class HandlerTask(Task):
    def __init__(self, system, ident, priority, queue):
        Task.__init__(self, system, ident, priority, queue, BIT_WAIT | BIT_PACKET)
        self.work = None
        self.devices = None

    def step(self, packet):
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work = packet.append_to(self.work)
            else:
                self.devices = packet.append_to(self.devices)
        work = self.work
        if work is not None:
            index = work.datum
            if index < BUFFER_LEN:
                device = self.devices
                if device is not None:
                    self.devices = device.link
                    device.datum = work.data[index]
                    work.datum = index + 1
                    return self.send(device)
            else:
                self.work = work.link
                return self.send(work)
        return self.wait()


class DeviceTask(Task):
    def __init__(self, system, ident, priority):
        Task.__init__(self, system, ident, priority, None, BIT_WAIT)
        self.pending = None

    def step(self, packet):
        if packet is None:
            pending = self.pending
            if pending is None:
                return self.wait()
            self.pending = None
            return self.send(pending)
        self.pending = packet
        return self.hold()


class System:
    def __init__(self):
        self.task_list = None
        self.tasks = [None] * NUM_TASKS
        self.queued = 0
        self.holds = 0

    def schedule(self):
        task = self.task_list
        while task is not None:
            if task.blocked():
                task = task.next_task
            else:
                task = task.run()


def simulate(count):
    system = System()
    IdleTask(system, count)

    queue = Packet(None, ID_WORKER, KIND_WORK)
    queue = Packet(queue, ID_WORKER, KIND_WORK)
    WorkerTask(system, queue)

    for ident, priority, device in ((ID_HANDLER_A, 2000, ID_DEVICE_A),
                                    (ID_HANDLER_B, 3000, ID_DEVICE_B)):
        queue = None
        for _ in range(3):
            queue = Packet(queue, device, KIND_DEVICE)
        HandlerTask(system, ident, priority, queue)

    DeviceTask(system, ID_DEVICE_A, 4000)
    DeviceTask(system, ID_DEVICE_B, 5000)

    system.schedule()
    return system.queued, system.holds


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    total_queued = total_holds = 0
    for _ in range(rounds):
        queued, holds = simulate(10000)
        total_queued += queued
        total_holds += holds
    print("richards rounds=%d queued=%d holds=%d" % (rounds, total_queued, total_holds))


main()
