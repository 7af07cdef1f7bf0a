//! Behaviour of generated crates of the corpus: how types encode and decode (presence and
//! nullability, unions, recursion, maps, open enums, keyword and colliding names), and, in
//! `wire`, the requests and responses of every body, response and security form.

/// The runtime tests' scripted server (`tests/support/fault_server.rs` of the workspace),
/// copied in by the corpus test; this crate uses part of it.
#[cfg(test)]
#[allow(dead_code)]
mod fault_server;
#[cfg(test)]
mod webhooks;
#[cfg(test)]
mod wire;

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    fn encode<T: serde::Serialize>(value: &T) -> Value {
        serde_json::to_value(value).expect("encodes")
    }

    fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
        serde_json::from_value(value).expect("decodes")
    }

    #[test]
    fn optional_nullable_fields_tell_omit_from_null() {
        use corpus_nullable_3_0::types::PatchProfileRequest;
        // `display_name` is required and nullable: `new` takes it, the rest start unset.
        let mut body = PatchProfileRequest::new(None);
        assert_eq!(encode(&body), json!({ "display_name": null }));
        body.bio = Some(None);
        body.website = Some("https://example.test".into());
        assert_eq!(
            encode(&body),
            json!({ "display_name": null, "bio": null, "website": "https://example.test" })
        );
        body.bio = Some(Some("Hi".into()));
        body.display_name = Some("Ada".into());
        assert_eq!(encode(&body), json!({ "display_name": "Ada", "bio": "Hi", "website": "https://example.test" }));

        let read: PatchProfileRequest = decode(json!({ "display_name": null, "bio": null }));
        assert_eq!((read.display_name, read.bio, read.website), (None, Some(None), None));
        let read: PatchProfileRequest = decode(json!({ "bio": "x" }));
        assert_eq!(read.bio, Some(Some("x".to_owned())));
    }

    #[test]
    fn openapi_3_1_nullable_forms_behave_like_3_0() {
        use corpus_nullable_3_1::types::{PatchProfileRequest, PatchProfileRequestTier, Profile};
        let read: PatchProfileRequest = decode(json!({ "display_name": null, "bio": null, "tier": "gold" }));
        assert_eq!((read.display_name, read.bio), (None, Some(None)));
        assert_eq!(read.tier, Some(PatchProfileRequestTier::Gold));
        let profile: Profile = decode(json!({ "id": "p", "display_name": "Ada", "avatar": null, "kind": null }));
        assert_eq!(profile.avatar, Some(None), "optional and nullable: sent as null");
        assert_eq!(profile.kind, Some(None));
        let profile: Profile = decode(json!({ "id": "p", "display_name": null }));
        assert_eq!((profile.display_name, profile.avatar), (None, None));
    }

    #[test]
    fn a_missing_required_member_is_named() {
        use corpus_nullable_3_0::types::Profile;
        let error = serde_json::from_value::<Profile>(json!({ "display_name": "Ada" })).expect_err("id is required");
        assert_eq!(error.to_string(), "missing field `id`");
        let error = serde_json::from_value::<Profile>(json!([1])).expect_err("not an object");
        assert!(error.to_string().contains("a `Profile` object"), "{error}");
    }

    #[test]
    fn unions_pick_the_first_shape_that_fits_and_encode_transparently() {
        use corpus_unions::types::{Circle, DrawShapeRequestSize, Shape, Square};
        let circle: Shape = decode(json!({ "radius": 1.5 }));
        assert!(matches!(&circle, Shape::Circle(Circle { radius, .. }) if *radius == 1.5));
        let square: Shape = decode(json!({ "side": 2.0 }));
        assert!(matches!(&square, Shape::Square(Square { side, .. }) if *side == 2.0));
        assert_eq!(decode::<Shape>(json!("dot")), Shape::String("dot".into()));
        assert_eq!(encode(&square), json!({ "side": 2.0 }));
        let error = serde_json::from_value::<Shape>(json!(true)).expect_err("no shape fits");
        assert_eq!(error.to_string(), "the value matches none of the shapes of `Shape`");
        assert_eq!(decode::<DrawShapeRequestSize>(json!([1, 2])), DrawShapeRequestSize::Array(vec![1, 2]));
        assert_eq!(decode::<DrawShapeRequestSize>(json!(7)), DrawShapeRequestSize::Integer(7));
    }

    #[test]
    fn recursive_types_round_trip() {
        use corpus_recursive::types::{Expr, Node};
        let tree = json!({
            "value": "root",
            "children": [{ "value": "leaf", "parent": { "value": "root" } }],
            "next": { "node": { "value": "other" } }
        });
        let node: Node = decode(tree.clone());
        assert_eq!(node.children.as_ref().map(Vec::len), Some(1));
        assert_eq!(encode(&node), tree);
        let sum: Expr = decode(json!({ "left": 1, "right": { "left": 2, "right": 3 } }));
        assert_eq!(encode(&sum), json!({ "left": 1, "right": { "left": 2, "right": 3 } }));
    }

    #[test]
    fn maps_keep_their_entries() {
        use corpus_maps::types::Settings;
        let json = json!({
            "labels": { "a": "1", "b": "2" },
            "limits": { "x": 3 },
            "metadata": { "any": [1, "two"] },
            "nested": { "n": { "enabled": true } },
            "untyped": {}
        });
        let settings: Settings = decode(json.clone());
        assert_eq!(settings.limits.as_ref().and_then(|m| m.get("x")), Some(&3));
        assert_eq!(encode(&settings), json);
    }

    #[test]
    fn open_enums_keep_unknown_values_and_odd_names() {
        use corpus_open_enums::types::JobStatus;
        let paused = decode::<JobStatus>(json!("paused"));
        let JobStatus::Unknown(value) = &paused else {
            panic!("an unknown value decodes as Unknown: {paused:?}");
        };
        assert_eq!(value.as_str(), "paused");
        assert_eq!(paused.as_str(), "paused");
        assert_eq!(paused, JobStatus::from("paused"));
        assert_eq!(encode(&paused), json!("paused"));
        assert_eq!(JobStatus::from("unknown"), JobStatus::Unknown2);
        assert_eq!(JobStatus::Unknown2.as_str(), "unknown");
        assert_eq!(JobStatus::from(""), JobStatus::Empty);
        assert_eq!(JobStatus::Self2.to_string(), "self");
        assert_eq!(decode::<JobStatus>(json!("in_progress")), JobStatus::InProgress);
    }

    #[test]
    fn keywords_and_colliding_names_map_to_their_json_names() {
        use corpus_keywords_and_collisions::types::Match;
        let json = json!({
            "type": "t", "async": true, "self": "s", "Self": "S", "extra": "e", "crate": "c",
            "123": "n", "dashed-name": "d", "dashedName": "D", "unknown": 1
        });
        let value: Match = decode(json.clone());
        assert_eq!(value.r#type.as_deref(), Some("t"));
        assert_eq!((value.self_.as_deref(), value.self_2.as_deref()), (Some("s"), Some("S")));
        assert_eq!((value.dashed_name.as_deref(), value.dashed_name_2.as_deref()), (Some("d"), Some("D")));
        assert_eq!(value.extra.as_deref(), Some("e"));
        assert_eq!(value.extra().get("unknown"), Some(&json!(1)));
        assert_eq!(encode(&value), json);
        let mut value = value;
        value.extra_mut().insert("added".into(), json!(true));
        assert_eq!(encode(&value)["added"], json!(true));
    }

    #[test]
    fn all_of_merges_members_with_the_later_schema_winning() {
        use corpus_all_of::types::Dog;
        let dog: Dog = decode(json!({ "name": "Rex", "age": 3, "bark_volume": 0.5 }));
        let age: Option<i32> = dog.age;
        assert_eq!(age, Some(3));
        assert_eq!(dog.bark_volume, Some(0.5_f32));
        assert!(serde_json::from_value::<Dog>(json!({ "age": 3 })).is_err(), "name is required");
    }

    #[test]
    fn values_build_from_what_they_hold_with_fixed_members_set() {
        use corpus_tagged_unions::types::{
            ChatContentPart, ChatFunctionTool, ChatMessage, ChatSystemMessage, ChatTool, ChatUserMessage,
            ChatUserMessageContent, SendMessagesRequest, SendMessagesRequestMode,
        };
        // The tag is set by the constructor; a `&str` converts into the content union, the
        // message into the message union.
        let message: ChatMessage = ChatUserMessage::new("Say hi").into();
        assert!(matches!(&message, ChatMessage::User(user) if user.content == ChatUserMessageContent::String("Say hi".into())));
        assert_eq!(encode(&message), json!({ "role": "user", "content": "Say hi" }));
        let parts = ChatUserMessageContent::from(vec![ChatContentPart::new("a".to_owned())]);
        assert_eq!(encode(&ChatUserMessage::new(parts)), json!({ "role": "user", "content": [{ "text": "a" }] }));
        let system: ChatMessage = ChatSystemMessage::new("Be brief".to_owned()).into();
        assert_eq!(encode(&system), json!({ "content": "Be brief", "role": "system" }));
        assert!(matches!(ChatTool::from(ChatFunctionTool::new("f".to_owned())), ChatTool::Function(_)));
        // A constant is set, a one-value enum (which may grow) is an argument; a list of a
        // union takes what converts into it.
        let request = SendMessagesRequest::new([ChatUserMessage::new("hi")], SendMessagesRequestMode::Fast);
        assert_eq!(
            encode(&request),
            json!({ "messages": [{ "role": "user", "content": "hi" }], "kind": "chat", "mode": "fast" })
        );
    }

    #[test]
    fn tagged_unions_pick_the_variant_their_tag_names() {
        use corpus_tagged_unions::types::{Cat, Event, Pet, Shape};
        // A discriminator with a mapping, two values for one variant.
        for kind in ["cat", "kitten"] {
            let pet: Pet = decode(json!({ "kind": kind, "lives": 9 }));
            assert!(matches!(&pet, Pet::Cat(Cat { lives: 9, .. })), "{pet:?}");
            assert_eq!(encode(&pet), json!({ "kind": kind, "lives": 9 }));
        }
        assert!(matches!(decode::<Pet>(json!({ "kind": "dog", "good": true })), Pet::Dog(_)));
        // A tag this crate does not know keeps the value as it came, and sends it back so.
        let parrot = json!({ "kind": "parrot", "words": ["hello"] });
        assert_eq!(decode::<Pet>(parrot.clone()), Pet::Unknown(parrot.clone()));
        assert_eq!(encode(&Pet::Unknown(parrot.clone())), parrot);
        // A known tag with a bad body is that variant's error, not a guess at another shape.
        let error = serde_json::from_value::<Pet>(json!({ "kind": "cat" })).expect_err("lives is required");
        assert_eq!(error.to_string(), "missing field `lives`");
        // A discriminator without a mapping: the schemas' names.
        assert!(matches!(decode::<Shape>(json!({ "shape": "Square", "side": 2.0 })), Shape::Square(_)));
        assert!(matches!(decode::<Shape>(json!({ "shape": "circle" })), Shape::Unknown(_)));
        // No discriminator: each member fixes `type` (`const`), one of them inline.
        let deleted: Event = decode(json!({ "type": "deleted", "id": "e1" }));
        assert!(matches!(&deleted, Event::Deleted(event) if event.id == "e1"));
        let created = json!({ "type": "created", "id": "e2", "shape": { "shape": "Circle", "radius": 1.0 } });
        let event: Event = decode(created.clone());
        assert!(matches!(&event, Event::Created(c) if matches!(c.shape, Shape::Circle(_))));
        assert_eq!(encode(&event), created);
    }
}
