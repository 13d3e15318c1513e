//! Which addresses a channel may send to. Channels are configured by workspace admins but the
//! requests leave from the KOX server, so a webhook must not reach the server's own network:
//! loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
//! multicast and unspecified addresses are refused, for IPv4 and IPv6 (and IPv4 written as
//! IPv6). The server checks every address a name resolves to, and follows no redirects; an
//! installation that needs a private receiver sets `allow_private_targets`. Only http(s).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::validation::{self, FieldError, Fields};

/// A webhook address: http(s), a host, no user info, at most 500 characters.
pub fn check_url(field: &str, url: &str) -> Fields<String> {
    let v = validation::http_url(field, url.trim())?;
    let rest = v.split_once("://").map_or("", |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(FieldError::new(
            field,
            "validation.url",
            "a webhook address carries no user name or password",
        ));
    }
    Ok(v)
}

/// The host of an http(s) URL (brackets of an IPv6 literal removed) and its port.
pub fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => default,
            None => return None,
        };
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Some((h.to_ascii_lowercase(), p.parse().ok()?)),
        None => Some((authority.to_ascii_lowercase(), default)),
    }
}

/// May a channel send to this address? False for every address of the server's own networks.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            is_public_v6(v6)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10: carrier-grade NAT, often a cloud's internal network
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24 (IETF protocol assignments), 198.18.0.0/15 (benchmarking), 240/4
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7 unique local (fd00:ec2::254 is a cloud metadata address)
        || (first & 0xfe00) == 0xfc00
        // fe80::/10 link-local
        || (first & 0xffc0) == 0xfe80
        // 64:ff9b::/96 NAT64 and ::/96 IPv4-compatible can reach IPv4 private ranges
        || (first == 0x0064 && ip.segments()[1] == 0xff9b)
        || ip.segments()[..6].iter().all(|s| *s == 0)
        // 2001:db8::/32 documentation
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_own_networks_are_refused_and_the_internet_is_not() {
        let refused = [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ];
        for a in refused {
            assert!(!is_public(a.parse().unwrap()), "{a} must be refused");
        }
        let allowed = [
            "8.8.8.8",
            "223.5.5.5",
            "101.200.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2400:3200::1",
        ];
        for a in allowed {
            assert!(is_public(a.parse().unwrap()), "{a} must be allowed");
        }
    }

    #[test]
    fn webhook_addresses_are_http_with_a_host_and_no_credentials() {
        assert!(check_url("url", "https://open.feishu.cn/open-apis/bot/v2/hook/abc").is_ok());
        assert!(check_url("url", "http://127.0.0.1:9000/hook").is_ok());
        for bad in [
            "ftp://x.cn/a",
            "file:///etc/passwd",
            "gopher://x",
            "https://",
            "https://user:pw@x.cn/",
            "javascript:alert(1)",
        ] {
            let e = check_url("url", bad).unwrap_err();
            assert_eq!(e.code, "validation.url", "{bad}");
            assert_eq!(e.field, "url");
        }
    }

    #[test]
    fn host_and_port_come_from_the_address() {
        assert_eq!(
            host_port("https://oapi.dingtalk.com/robot/send?access_token=x"),
            Some(("oapi.dingtalk.com".into(), 443))
        );
        assert_eq!(
            host_port("http://127.0.0.1:8123/h"),
            Some(("127.0.0.1".into(), 8123))
        );
        assert_eq!(host_port("http://[::1]:81/"), Some(("::1".into(), 81)));
        assert_eq!(host_port("http://[::1]/"), Some(("::1".into(), 80)));
        assert_eq!(host_port("ftp://x/"), None);
    }
}
