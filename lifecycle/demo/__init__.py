"""Demo activity: a realistic, seeded stretch of shop life written through the store's own services."""
