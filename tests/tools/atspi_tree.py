#!/usr/bin/python3
"""Prints an application's accessibility tree as Orca reads it on Linux: the AT-SPI tree the
toolkit and its webview publish on the session's accessibility bus, as JSON.

Usage: atspi_tree.py APP_NAME [TIMEOUT_SECONDS]

Each node: role, name, description, states (the ones a reader uses), live (the "live"
object attribute, when set), its own text, and children: the whole tree, also what is
scrolled out of view (a reader reads that too). A node the toolkit reports as gone is left
out. Runs under the session bus in DBUS_SESSION_BUS_ADDRESS.
"""

import json
import signal
import sys

import pyatspi

STATES = {
    pyatspi.STATE_FOCUSABLE: "focusable",
    pyatspi.STATE_FOCUSED: "focused",
    pyatspi.STATE_SHOWING: "showing",
    pyatspi.STATE_MODAL: "modal",
    pyatspi.STATE_EXPANDED: "expanded",
    pyatspi.STATE_SENSITIVE: "sensitive",
    pyatspi.STATE_INVALID_ENTRY: "invalid",
}
# A deep page is a bug of its own; this keeps a runaway tree from hanging the test.
MOST_NODES = 20_000


def attributes(node):
    try:
        pairs = node.getAttributes() or []
    except Exception:
        return {}
    return dict(pair.split(":", 1) for pair in pairs if ":" in pair)


def own_text(node):
    """The text a node holds itself (a paragraph's words), without its embedded children."""
    try:
        text = node.queryText()
    except NotImplementedError:
        return ""
    except Exception:
        return ""
    try:
        words = text.getText(0, min(text.characterCount, 2000))
    except Exception:
        return ""
    # U+FFFC marks where a child object sits in its parent's text.
    return " ".join(words.replace("\ufffc", " ").split())


def described_by(node):
    """The words of what the node's described-by relation points at. WebKitGTK leaves an
    entry's description empty and gives aria-describedby as this relation only; a reader
    reads it as the description."""
    words = []
    try:
        relations = node.getRelationSet() or []
    except Exception:
        return ""
    for relation in relations:
        if relation.getRelationType() != pyatspi.RELATION_DESCRIBED_BY:
            continue
        for index in range(relation.getNTargets()):
            target = relation.getTarget(index)
            if target is not None:
                words.append(target.name or own_text(target))
    return " ".join(word for word in words if word)


def walk(node, budget):
    if budget[0] <= 0:
        raise RuntimeError(f"more than {MOST_NODES} nodes")
    budget[0] -= 1
    try:
        states = node.getState()
        role = node.getRoleName()
        name = node.name or ""
        description = node.description or ""
        count = node.childCount
    except Exception:
        return None
    found = {
        "role": role,
        "name": name,
        "description": description or described_by(node),
        "states": [label for state, label in STATES.items() if states.contains(state)],
    }
    attrs = attributes(node)
    live = attrs.get("live") or attrs.get("container-live")
    if live and live != "off":
        found["live"] = live
    text = own_text(node)
    if text:
        found["text"] = text
    children = []
    for index in range(count):
        try:
            child = node.getChildAtIndex(index)
        except Exception:
            continue
        if child is not None:
            walked = walk(child, budget)
            if walked is not None:
                children.append(walked)
    found["children"] = children
    return found


def main():
    app_name = sys.argv[1]
    signal.alarm(int(sys.argv[2]) if len(sys.argv) > 2 else 30)
    desktop = pyatspi.Registry.getDesktop(0)
    apps = [app for app in desktop if app is not None and app.name == app_name]
    if not apps:
        names = sorted(app.name for app in desktop if app is not None)
        print(json.dumps({"error": f"no application {app_name!r}", "apps": names}))
        return 2
    print(json.dumps([walk(app, [MOST_NODES]) for app in apps]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
