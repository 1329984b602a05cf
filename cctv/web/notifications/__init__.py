"""Each user's in-app inbox."""
