"""What can go wrong when a recorded graph is replayed."""


class ReplayError(ValueError):
    """A recorded graph cannot be replayed as asked."""


class StructureChanged(ReplayError):
    """The model's parameters are no longer the ones the tape recorded."""


class BranchChanged(ReplayError):
    """New inputs make a recorded comparison come out the other way: the graph would differ."""


class TracerWarning(UserWarning):
    """A recorded function did something a replay cannot follow (as PyTorch's tracer warns): a Value made a float."""
