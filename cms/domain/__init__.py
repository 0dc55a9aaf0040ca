"""The business rules of the public site: state machine diagrams for the documentation."""
