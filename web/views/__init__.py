"""Blueprints, one per area: browse (overview pages), resource (linked data), dumps."""
