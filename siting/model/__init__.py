"""The 3-year high-harm model on plain arrays (no database): inputs, harm profiles, a run's parameters and results
(`run`), scoring with its rules and sentences, hotspots, best K and validation."""
