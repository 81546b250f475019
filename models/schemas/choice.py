"""A setting that is one of a few named choices: validated, labelled for the Flows page."""
from marshmallow import fields, validate


def choice(choices, default, label, help_text=""):
    """A String field taking one value of choices [(value, label)], default when absent."""
    metadata = {"label": label, "choices": choices}
    if help_text:
        metadata["help"] = help_text
    return fields.String(load_default=default,
                         validate=validate.OneOf([value for value, _ in choices]),
                         metadata=metadata)
