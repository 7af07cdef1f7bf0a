//! The SDK's shape lives in `spec/sdk.overlay.yaml`: applied to OpenAI's own description of
//! the certificates API instead of the hand-written one, it gives the same public API for the
//! four operations the crate has, and the six more of the upstream section beside them.

use std::path::{Path, PathBuf};

use sdkgen::changes::{ChangeKind, Report};
use sdkgen::surface::{ItemKind, Surface};
use sdkgen::Settings;

const UPSTREAM: &str = "tests/upstream/openai-certificates-section.yaml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn surface(spec: &str) -> Surface {
    let settings = Settings {
        overlays: sdkgen::Overlay::in_dir(&root().join("spec"), Path::new("spec"))
            .expect("the overlays read"),
        ..Settings::default()
    };
    let described = sdkgen::describe(&root().join(spec), &settings).expect("the spec is accepted");
    Surface::of(&described.api)
}

#[test]
fn the_overlay_gives_the_upstream_section_the_sdks_public_api_and_six_more_operations() {
    let today = surface("spec/openapi.yaml");
    let upstream = surface(UPSTREAM);
    let report = Report::between(&today, &upstream);

    // Nothing the crate offers today changes or goes away.
    let lost: Vec<_> = report
        .changes
        .iter()
        .filter(|change| change.change != ChangeKind::Added)
        .collect();
    assert_eq!(lost, Vec::<&sdkgen::changes::Change>::new());
    assert!(!report.is_breaking());
    for method in ["list", "create", "retrieve", "update"] {
        let key = format!("client.admin().organization().certificates().{method}()");
        assert_eq!(upstream.items.get(&key), today.items.get(&key), "{key}");
    }

    let added_methods: Vec<(&str, &str)> = report
        .changes
        .iter()
        .filter(|change| change.kind == ItemKind::Method)
        .map(|change| {
            let origin = upstream.items[&change.item].origin.as_deref();
            (change.item.as_str(), origin.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        added_methods,
        [
            (
                "client.admin().organization().certificates().activate()",
                "#/paths/~1organization~1certificates~1activate/post"
            ),
            (
                "client.admin().organization().certificates().deactivate()",
                "#/paths/~1organization~1certificates~1deactivate/post"
            ),
            (
                "client.admin().organization().certificates().delete()",
                "#/paths/~1organization~1certificates~1{certificate_id}/delete"
            ),
            (
                "client.admin().organization().projects().certificates().activate()",
                "#/paths/~1organization~1projects~1{project_id}~1certificates~1activate/post"
            ),
            (
                "client.admin().organization().projects().certificates().deactivate()",
                "#/paths/~1organization~1projects~1{project_id}~1certificates~1deactivate/post"
            ),
            (
                "client.admin().organization().projects().certificates().list()",
                "#/paths/~1organization~1projects~1{project_id}~1certificates/get"
            ),
        ]
    );
    assert_eq!(
        upstream.items["client.admin().organization().projects().certificates().list()"].signature,
        "(project_id: String) -> operations::ListProjectCertificates; \
         send: pages of types::OrganizationProjectCertificate"
    );
}

/// Without the overlay, the same description gives a client of another shape: the hints are
/// what keeps it.
#[test]
fn without_the_overlay_the_upstream_section_changes_the_clients_shape() {
    let bare = sdkgen::describe(&root().join(UPSTREAM), &Settings::default())
        .expect("the spec is accepted");
    let bare = Surface::of(&bare.api);
    let report = Report::between(&surface("spec/openapi.yaml"), &bare);
    assert!(report.is_breaking());
    // The same operation under another name: one rename, not a removal and an addition.
    assert!(report.changes.iter().any(|change| {
        change.change == ChangeKind::Renamed
            && change.detail == "renamed from `client.admin().organization().certificates().list()`"
    }));
}
