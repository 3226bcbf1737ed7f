class LawsiteError(Exception):
    """An error a staff member can fix: printed as one readable line (or a few), never a traceback."""
