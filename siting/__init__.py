"""Crime import and the 3-year high-harm siting model (no Flask). Built by the siting issue."""
