//! The HTTP client single sign-on speaks to providers with: the workspace's reqwest, with a
//! timeout, no redirects (a redirect is a way to reach somewhere the admin did not configure)
//! and a bound on what a provider's answer may weigh.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

/// At most this much of a provider's answer is read (discovery documents and key sets are a
/// few kilobytes).
const MAX_BODY: usize = 1024 * 1024;

pub struct ProviderClient(reqwest::Client);

impl ProviderClient {
    pub fn new() -> Result<ProviderClient, reqwest::Error> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map(ProviderClient)
    }
}

type Answer<'c> = Pin<Box<dyn Future<Output = Result<HttpResponse, std::io::Error>> + Send + 'c>>;

impl<'c> AsyncHttpClient<'c> for ProviderClient {
    type Error = std::io::Error;
    type Future = Answer<'c>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(std::io::Error::other)?;
            let mut response = self
                .0
                .execute(request)
                .await
                .map_err(std::io::Error::other)?;
            let mut builder = openidconnect::http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(std::io::Error::other)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(std::io::Error::other("the provider's answer is too large"));
                }
                body.extend_from_slice(&chunk);
            }
            builder.body(body).map_err(std::io::Error::other)
        })
    }
}
