"""yingji (应急): emergency-management platform for a Chinese county."""

__version__ = "0.1.0"
