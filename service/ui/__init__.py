"""The article viewer: templates, static assets and the span-nesting it renders with."""
