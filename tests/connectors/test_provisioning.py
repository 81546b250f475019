"""Webhook provisioning on both emulators: idempotent, re-enables disabled Woo webhooks, flags
what is missing, never shows the Brightpearl secret; and the thin `flask webhooks` CLI."""
import json

import pytest
import requests
from flask import Flask

from connectors.brightpearl import BrightpearlClient
from connectors.provisioning import BP_BODY_TEMPLATE, BP_EVENTS, WOO_TOPICS, Provisioner
from connectors.woocommerce import WooCommerceClient

from .conftest import REDIS_URL, bp_settings, woo_settings

SECRET = "bp-hook-secret-0123456789"


@pytest.fixture
def settings(bp_sandbox, woo_sandbox, redis13):
    """Settings naming both emulators."""
    return {**bp_settings(bp_sandbox.url), **woo_settings(woo_sandbox.url),
            "PUBLIC_URL": "http://127.0.0.1:9/", "BRIGHTPEARL_WEBHOOK_SECRET": SECRET,
            "WOO_WEBHOOK_SECRET": "woo-hook-secret", "REDIS_URL": REDIS_URL}


@pytest.fixture
def provisioner(settings, redis13):
    woo = WooCommerceClient.from_config(settings, redis=redis13)
    bp = BrightpearlClient.from_config(settings, redis=redis13)
    return Provisioner(woo, bp, settings)


def test_register_twice_creates_nothing_the_second_time(provisioner, settings, woo_sandbox,
                                                        bp_sandbox):
    first = provisioner.register()
    assert len(first.changed) == len(WOO_TOPICS) + len(BP_EVENTS) and not first.problems
    second = provisioner.register()
    assert second.changed == [] and {ln.state for ln in second.lines} == {"ok"}
    woo_hooks = provisioner.woo.list_webhooks()
    assert sorted(h["topic"] for h in woo_hooks) == sorted(WOO_TOPICS)
    assert {h["delivery_url"] for h in woo_hooks} == {"http://127.0.0.1:9/webhooks/woocommerce"}
    stored = requests.get(f"{woo_sandbox.url}/_sandbox/state", timeout=10).json()["webhooks"]
    assert {(h["api_version"], h["secret"]) for h in stored} == {("wp_api_v3",
                                                                 "woo-hook-secret")}
    bp_hooks = provisioner.bp.list_webhooks()
    assert sorted(h["subscribeTo"] for h in bp_hooks) == sorted(BP_EVENTS)
    for hook in bp_hooks:
        assert hook["uriTemplate"] == f"http://127.0.0.1:9/webhooks/brightpearl/{SECRET}"
        assert hook["idSetAccepted"] is True and hook["qualityOfService"] == 1
        assert hook["bodyTemplate"] == BP_BODY_TEMPLATE
    assert set(json.loads(BP_BODY_TEMPLATE)) == {"accountCode", "resourceType", "id",
                                                 "lifecycleEvent", "fullEvent", "raisedOn",
                                                 "brightpearlVersion"}
    assert all(SECRET not in line.url for line in first.lines + second.lines)


def test_a_disabled_woo_webhook_is_reactivated_and_status_flags_it(provisioner):
    provisioner.register()
    hook = next(h for h in provisioner.woo.list_webhooks() if h["topic"] == "order.updated")
    provisioner.woo.update_webhook(hook["id"], {"status": "disabled"})
    status = provisioner.status()
    assert [(ln.platform, ln.topic, ln.state) for ln in status.problems] == [
        ("woocommerce", "order.updated", "disabled")]
    again = provisioner.register()
    assert [(ln.topic, ln.state) for ln in again.changed] == [("order.updated", "reactivated")]
    assert provisioner.woo.list_webhooks() and not provisioner.status().problems


def test_status_flags_missing_and_different_subscriptions(provisioner):
    status = provisioner.status()
    assert {ln.state for ln in status.lines} == {"missing"}
    provisioner.register()
    hook = next(h for h in provisioner.bp.list_webhooks()
                if h["subscribeTo"] == "goods-out-note.modified")
    provisioner.bp.delete_webhook(hook["id"])
    provisioner.bp.create_webhook(dict(hook, idSetAccepted=False, id=None))
    assert [(ln.topic, ln.state) for ln in provisioner.status().problems] == [
        ("goods-out-note.modified", "different")]
    again = provisioner.register()
    assert [(ln.topic, ln.state) for ln in again.changed] == [
        ("goods-out-note.modified", "replaced")]
    assert len(provisioner.bp.list_webhooks()) == len(BP_EVENTS)


def test_the_cli_registers_and_reports_without_printing_secrets(settings):
    from cli.webhooks import commands

    app = Flask(__name__)
    app.config.update(settings)
    for command in commands:
        app.cli.add_command(command)
    runner = app.test_cli_runner()
    status = runner.invoke(args=["webhooks", "status"])
    assert status.exit_code == 1 and "need attention" in status.output
    registered = runner.invoke(args=["webhooks", "register"])
    assert registered.exit_code == 0, registered.output
    assert f"{len(WOO_TOPICS) + len(BP_EVENTS)} change(s)" in registered.output
    again = runner.invoke(args=["webhooks", "register"])
    assert "0 change(s)" in again.output
    status = runner.invoke(args=["webhooks", "status"])
    assert status.exit_code == 0 and "all webhooks in place" in status.output
    for output in (registered.output, again.output, status.output):
        assert SECRET not in output and "woo-hook-secret" not in output
        assert "cs_sandbox" not in output and "sandbox-staff-token" not in output
    assert "/webhooks/brightpearl/***" in status.output
