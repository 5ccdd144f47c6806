class CommunityError(ValueError):
    """The community cannot do this; the message says why, in words for the person."""
