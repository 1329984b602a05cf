"""The public page (no sign-in) and the pages that choose what it shows: the publication choices and the signage
register."""
