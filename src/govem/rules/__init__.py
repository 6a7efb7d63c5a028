"""Pure attendance rules: no Django, frozen dataclasses in and out."""
