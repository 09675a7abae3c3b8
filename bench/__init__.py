"""Benchmarks: scripts that measure and print figures (bytes, time, load); never tests."""
