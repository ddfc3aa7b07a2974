"""National-scale bench: generate a country's worth of data, time the main pages."""
