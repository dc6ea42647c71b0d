"""repairctl: the repair desk of a property-management office, one YAML file per work order."""

__version__ = "0.1.0"
