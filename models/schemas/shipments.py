"""Settings of the shipments flow (Brightpearl notes → Woo tracking); rendered on the Flows page."""
from marshmallow import EXCLUDE, Schema, fields, validate


class ShipmentSettings(Schema):
    """Carrier names per shipping method, note visibility, and whether to complete orders."""

    class Meta:
        # Settings saved by an older form may carry keys this schema no longer has.
        unknown = EXCLUDE

    tracking_providers = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\d+$", error="A method id is a number.")),
        values=fields.String(validate=validate.Length(min=1, max=64)), load_default=dict,
        metadata={"label": "Tracking providers",
                  "key_label": "Brightpearl shipping method",
                  "key_choices_from": "shipping_methods",
                  "help": "The provider name Woo shows for each method (as the Shipment "
                          "Tracking extension spells it, e.g. 'Royal Mail'). Unmapped methods "
                          "use the Brightpearl method's name."})
    customer_visible_note = fields.Boolean(
        load_default=True,
        metadata={"label": "Tracking note is visible to the customer",
                  "help": "Only when the store has no Shipment Tracking extension: the "
                          "tracking is written as an order note (a customer note is emailed)."})
    complete_when_shipped = fields.Boolean(
        load_default=True,
        metadata={"label": "Complete the Woo order when every line has shipped"})
