class TourError(ValueError):
    """The tour, stop, update or feedback cannot be taken; the message says why."""
