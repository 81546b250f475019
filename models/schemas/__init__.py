"""Flow settings schemas (marshmallow), one module per flow area; the Flows page renders them."""
