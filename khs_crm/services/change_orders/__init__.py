"""Change orders: written up and signed on site (sync), priced and decided by the office."""
