//! `Client::from_env` reads the process environment, so it has a test binary of its own: no
//! other test can observe the variables it sets.

use openai_admin_certificates::Client;

#[test]
fn from_env_requires_the_key_and_honours_the_base_url() {
    std::env::remove_var("OPENAI_ADMIN_KEY");
    std::env::remove_var("OPENAI_BASE_URL");
    let error = Client::from_env().expect_err("no key, no client");
    let message = error.to_string();
    assert!(message.contains("OPENAI_ADMIN_KEY"), "{message}");
    assert!(message.contains("admin_api_key"), "{message}");

    std::env::set_var("OPENAI_ADMIN_KEY", "sk-admin-from-env");
    let client = Client::from_env().expect("a key is enough");
    let shown = format!("{client:?}");
    assert!(shown.contains("https://api.openai.com/v1"), "{shown}");
    assert!(!shown.contains("sk-admin-from-env"), "{shown}");

    std::env::set_var("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    let client = Client::from_env().expect("a base URL from the environment");
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");

    std::env::set_var("OPENAI_BASE_URL", "not a url");
    let error = Client::from_env().expect_err("an invalid base URL is refused");
    assert!(error.to_string().contains("not a url"), "{error}");
}
