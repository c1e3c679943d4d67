"""Reusable UI built from plain elements: no Radix Themes, one stylesheet (assets/khs.css)."""
