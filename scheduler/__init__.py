"""Scheduling helpers: school calendars and reminder timing for the CPD workflow."""
