//! Chromium's accessibility tree (what TalkBack reads through Android's webview, which is
//! Chromium), from its DevTools `Accessibility.getFullAXTree`, in the same form as the AT-SPI
//! reader's so one set of checks serves both engines.

use std::collections::HashMap;

use anyhow::{Context, Result};
use serde_json::Value;

use super::atspi::AxNode;
use super::webdriver::Driver;

/// Roles whose children a reader does not read apart: their text is their name.
const CHILDREN_IN_NAME: [&str; 6] = ["button", "link", "menuitem", "tab", "option", "heading"];

/// The page's tree as Chromium builds it now.
pub async fn chromium_tree(driver: &Driver) -> Result<AxNode> {
    let raw = driver
        .chromium_devtools("Accessibility.getFullAXTree", serde_json::json!({}))
        .await?;
    from_devtools(&raw)
}

/// The DevTools reply as a tree: ignored nodes give way to their children, a text node
/// becomes its words, and the boxes of text inside it go.
pub fn from_devtools(raw: &Value) -> Result<AxNode> {
    let nodes = raw["nodes"]
        .as_array()
        .context("no nodes in Chromium's tree")?;
    let by_id: HashMap<&str, &Value> = nodes
        .iter()
        .filter_map(|n| Some((n["nodeId"].as_str()?, n)))
        .collect();
    let root = nodes
        .iter()
        .find(|n| n["parentId"].is_null())
        .context("no root in Chromium's tree")?;
    let mut built = build(root, &by_id, 0);
    built.pop().context("the root is ignored")
}

fn value<'a>(node: &'a Value, key: &str) -> &'a str {
    node[key]["value"].as_str().unwrap_or("")
}

fn property(node: &Value, name: &str) -> Option<Value> {
    node["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .map(|p| p["value"]["value"].clone())
}

fn build(node: &Value, by_id: &HashMap<&str, &Value>, depth: usize) -> Vec<AxNode> {
    // A page this deep is a fault of its own; the tree is cut there rather than overflow.
    if depth > 200 {
        return Vec::new();
    }
    let role = value(node, "role");
    if role == "InlineTextBox" {
        return Vec::new();
    }
    let mut children: Vec<AxNode> = node["childIds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| by_id.get(id.as_str()?))
        .flat_map(|child| build(child, by_id, depth + 1))
        .collect();
    if node["ignored"].as_bool() == Some(true) {
        return children;
    }
    if CHILDREN_IN_NAME.contains(&role) {
        children.clear();
    }
    let name = value(node, "name").to_string();
    let (name, text) = if role == "StaticText" {
        (String::new(), Some(name))
    } else {
        (name, None)
    };
    let mut states = vec!["showing".to_string()];
    for state in ["focusable", "focused"] {
        if property(node, state) == Some(Value::Bool(true)) {
            states.push(state.into());
        }
    }
    if property(node, "invalid").is_some_and(|v| v != "false") {
        states.push("invalid".into());
    }
    let live = property(node, "live")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|live| live != "off");
    vec![AxNode {
        role: role.to_string(),
        name,
        description: value(node, "description").to_string(),
        states,
        live,
        text,
        children,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ignored_nodes_give_way_and_a_button_reads_as_its_name() {
        let raw = json!({ "nodes": [
            { "nodeId": "1", "role": { "value": "RootWebArea" }, "name": { "value": "Pocket" },
              "childIds": ["2", "6"] },
            { "nodeId": "2", "parentId": "1", "ignored": true, "role": { "value": "generic" },
              "childIds": ["3"] },
            { "nodeId": "3", "parentId": "2", "role": { "value": "button" },
              "name": { "value": "GitHub, alice, 4 9 2, 0 3 9" },
              "description": { "value": "Tap to copy" },
              "properties": [{ "name": "focusable", "value": { "value": true } }],
              "childIds": ["4"] },
            { "nodeId": "4", "parentId": "3", "role": { "value": "StaticText" },
              "name": { "value": "492 039" }, "childIds": ["5"] },
            { "nodeId": "5", "parentId": "4", "role": { "value": "InlineTextBox" } },
            { "nodeId": "6", "parentId": "1", "role": { "value": "status" },
              "properties": [{ "name": "live", "value": { "value": "polite" } }],
              "childIds": ["7"] },
            { "nodeId": "7", "parentId": "6", "role": { "value": "StaticText" },
              "name": { "value": "Code for GitHub copied" } },
        ]});
        let tree = from_devtools(&raw).unwrap();
        assert_eq!(
            tree.transcript(),
            "button: GitHub, alice, 4 9 2, 0 3 9 (Tap to copy)\nCode for GitHub copied"
        );
        assert!(tree.unnamed_controls().is_empty());
        let live: Vec<_> = tree
            .walk()
            .into_iter()
            .filter(|n| n.live.is_some())
            .collect();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].role, "status");
    }

    #[test]
    fn a_focusable_control_without_a_real_name_is_found() {
        let raw = json!({ "nodes": [
            { "nodeId": "1", "role": { "value": "RootWebArea" }, "childIds": ["2"] },
            { "nodeId": "2", "parentId": "1", "role": { "value": "button" },
              "name": { "value": "image" },
              "properties": [{ "name": "focusable", "value": { "value": true } }] },
        ]});
        let tree = from_devtools(&raw).unwrap();
        assert_eq!(tree.unnamed_controls(), ["button \"image\""]);
    }
}
