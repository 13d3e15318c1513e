//! The providers' check values, message shapes, size limits and answers.
use super::*;

fn message() -> Message {
    Message {
        kind: Some(NotificationKind::ReviewRequested),
        title: "待审核：《星河S7 城市通勤 30 天》".to_owned(),
        lines: vec![
            "账号：@小红书_阿May · 小红书".to_owned(),
            "提交人：李娜".to_owned(),
        ],
        link: Some("https://kox.brand.cn/content/42".to_owned()),
        mention_mobiles: Vec::new(),
        mention_open_ids: Vec::new(),
        mention_names: Vec::new(),
    }
}

/// A message far over every limit: long lines, many of them, and a long title.
fn huge() -> Message {
    Message {
        title: "超长标题".repeat(200),
        lines: (0..300)
            .map(|i| format!("第{i}行：{}", "内容😀é".repeat(400)))
            .collect(),
        mention_mobiles: vec!["13800138000".to_owned()],
        mention_open_ids: vec!["ou_abc123".to_owned()],
        mention_names: vec!["李娜".to_owned()],
        ..message()
    }
}

#[test]
fn feishu_sign_matches_the_documented_value_and_not_the_swapped_key() {
    let sign = feishu_sign(1_599_360_473, "secret");
    assert_eq!(sign, "q4jswNiMy51J5JuQV566yJat0/lQ/c+22kINzUgKsGU=");
    assert_ne!(sign, "dDiq7SBN7OKhpDBu0eR4W8QaQlwNL+OL2xLd/AKCyeE=");
}

#[test]
fn dingtalk_sign_matches_the_documented_value_url_encoded() {
    assert_eq!(
        dingtalk_sign(1_700_000_000_000, "secret"),
        "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
    );
}

#[test]
fn url_encoding_keeps_only_unreserved_characters() {
    assert_eq!(url_encode("aZ09-_.~"), "aZ09-_.~");
    assert_eq!(url_encode("a+b/c=d e&"), "a%2Bb%2Fc%3Dd%20e%26");
    assert_eq!(url_encode("李"), "%E6%9D%8E");
}

#[test]
fn dingtalk_url_appends_timestamp_and_sign_to_the_query_or_starts_one() {
    let sign = "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D";
    assert_eq!(
        dingtalk_url(
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "secret",
            1_700_000_000_000
        ),
        format!(
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={sign}"
        )
    );
    assert_eq!(
        dingtalk_url("http://127.0.0.1:9/robot", "secret", 1_700_000_000_000),
        format!("http://127.0.0.1:9/robot?timestamp=1700000000000&sign={sign}")
    );
}

#[test]
fn webhook_signature_signs_timestamp_dot_body_with_the_secret() {
    let body = br#"{"event":"test"}"#;
    let sig = webhook_signature("whsec_test", 1_700_000_000, body);
    // Computed independently with the hmac crate …
    let mut mac = HmacSha256::new_from_slice(b"whsec_test").unwrap();
    mac.update(b"1700000000.{\"event\":\"test\"}");
    let expected = hex_lower(&mac.finalize().into_bytes());
    assert_eq!(sig, format!("t=1700000000,v1={expected}"));
    // … and with Python's hmac module.
    assert_eq!(
        sig,
        "t=1700000000,v1=21d2d3606ebbdbf9307ee15e83085df2b83c83dd87cc2e6d2ea6b1cb61afdc3c"
    );
    // Key and message swapped would give this instead.
    assert!(!sig.contains("11f8dba37560b71ba1b8bfe740454980c82891c2d8d04732febc230ccf96cc8e"));
    // The body and the timestamp are both signed.
    assert_ne!(sig, webhook_signature("whsec_test", 1_700_000_000, b"{}"));
    assert_ne!(
        sig.split_once(",v1=").unwrap().1,
        webhook_signature("whsec_test", 1_700_000_001, body)
            .split_once(",v1=")
            .unwrap()
            .1
    );
}

#[test]
fn wecom_urls_carry_the_key_at_the_default_or_given_base() {
    assert_eq!(
        wecom_url("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    );
    assert_eq!(
        wecom_url_at("http://127.0.0.1:1234/cgi-bin/webhook/send", "k-1"),
        "http://127.0.0.1:1234/cgi-bin/webhook/send?key=k-1"
    );
}

#[test]
fn feishu_card_has_header_text_button_and_signature() {
    let body = feishu_body(&message(), Some((1_599_360_473, "c2lnbg==".to_owned())));
    assert_eq!(body["msg_type"], "interactive");
    assert_eq!(body["timestamp"], "1599360473");
    assert_eq!(body["sign"], "c2lnbg==");
    let card = &body["card"];
    assert_eq!(card["header"]["title"]["tag"], "plain_text");
    assert_eq!(
        card["header"]["title"]["content"],
        "待审核：《星河S7 城市通勤 30 天》"
    );
    assert_eq!(card["header"]["template"], "orange");
    let elements = card["elements"].as_array().unwrap();
    assert_eq!(elements.len(), 2);
    assert_eq!(elements[0]["tag"], "div");
    assert_eq!(elements[0]["text"]["tag"], "lark_md");
    assert_eq!(
        elements[0]["text"]["content"],
        "账号：@小红书_阿May · 小红书\n提交人：李娜"
    );
    assert_eq!(elements[1]["tag"], "action");
    let button = &elements[1]["actions"][0];
    assert_eq!(button["tag"], "button");
    assert_eq!(button["text"]["content"], "在 KOX 中打开");
    assert_eq!(button["type"], "primary");
    assert_eq!(button["url"], "https://kox.brand.cn/content/42");
}

#[test]
fn feishu_card_without_link_or_secret_has_a_note_and_no_signature() {
    let msg = Message {
        link: None,
        ..message()
    };
    let body = feishu_body(&msg, None);
    assert!(body.get("timestamp").is_none());
    assert!(body.get("sign").is_none());
    let note = &body["card"]["elements"][1];
    assert_eq!(note["tag"], "note");
    assert_eq!(note["elements"][0]["tag"], "plain_text");
    assert_eq!(
        note["elements"][0]["content"],
        "未设置 KOX 的访问地址，无法附上链接"
    );
}

#[test]
fn feishu_header_colour_follows_the_kind() {
    use NotificationKind as K;
    let colour = |kind| {
        let msg = Message { kind, ..message() };
        feishu_body(&msg, None)["card"]["header"]["template"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(colour(Some(K::ReviewRequested)), "orange");
    assert_eq!(colour(Some(K::ReviewDecided)), "green");
    assert_eq!(colour(Some(K::Mention)), "blue");
    assert_eq!(colour(Some(K::Overdue)), "red");
    assert_eq!(colour(Some(K::OverdueDigest)), "red");
    assert_eq!(colour(Some(K::PublishReminder)), "purple");
    assert_eq!(colour(Some(K::Assigned)), "blue");
    assert_eq!(colour(Some(K::Test)), "blue");
    assert_eq!(colour(None), "blue");
}

#[test]
fn feishu_mentions_open_ids_and_names_and_disarms_tags_in_lines() {
    let msg = Message {
        lines: vec!["评论：<at id=all></at> 看这里".to_owned()],
        mention_open_ids: vec!["ou_1a2b".to_owned(), "all".to_owned()],
        mention_names: vec!["李娜".to_owned()],
        ..message()
    };
    let content = feishu_body(&msg, None)["card"]["elements"][0]["text"]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        content,
        "评论：&#60;at id=all&#62;&#60;/at&#62; 看这里\n<at id=ou_1a2b></at> @李娜"
    );
}

#[test]
fn feishu_text_is_never_empty() {
    let msg = Message {
        kind: Some(NotificationKind::Test),
        lines: Vec::new(),
        ..message()
    };
    assert_eq!(
        feishu_body(&msg, None)["card"]["elements"][0]["text"]["content"],
        "测试消息"
    );
}

#[test]
fn dingtalk_with_a_link_is_an_action_card() {
    let body = dingtalk_body(&message());
    assert_eq!(body["msgtype"], "actionCard");
    let card = &body["actionCard"];
    assert_eq!(card["title"], "待审核：《星河S7 城市通勤 30 天》");
    assert_eq!(
        card["text"],
        "#### 待审核：《星河S7 城市通勤 30 天》\n\n- 账号：@小红书_阿May · 小红书\n- 提交人：李娜"
    );
    assert_eq!(card["btnOrientation"], "0");
    assert_eq!(card["singleTitle"], "在 KOX 中打开");
    assert_eq!(card["singleURL"], "https://kox.brand.cn/content/42");
    assert_eq!(body["at"]["atMobiles"], json!([]));
    assert_eq!(body["at"]["isAtAll"], false);
}

#[test]
fn dingtalk_without_a_link_is_markdown_with_the_note() {
    let msg = Message {
        link: None,
        ..message()
    };
    let body = dingtalk_body(&msg);
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(
        body["markdown"]["title"],
        "待审核：《星河S7 城市通勤 30 天》"
    );
    let text = body["markdown"]["text"].as_str().unwrap();
    assert!(text.starts_with("#### 待审核：《星河S7 城市通勤 30 天》\n\n- 账号："));
    assert!(text.ends_with("未设置 KOX 的访问地址，无法附上链接"));
    assert_eq!(body["at"]["isAtAll"], false);
}

#[test]
fn dingtalk_mentions_name_each_mobile_in_the_text_and_in_at() {
    let msg = Message {
        mention_mobiles: vec!["13800138000".to_owned(), "13900139000".to_owned()],
        mention_names: vec!["王芳".to_owned()],
        ..message()
    };
    let body = dingtalk_body(&msg);
    // An action card cannot @: markdown with the link in the text.
    assert_eq!(body["msgtype"], "markdown");
    let text = body["markdown"]["text"].as_str().unwrap();
    assert!(text.contains("[在 KOX 中打开](https://kox.brand.cn/content/42)"));
    assert!(text.ends_with("\n\n@13800138000 @13900139000 @王芳"));
    assert_eq!(
        body["at"]["atMobiles"],
        json!(["13800138000", "13900139000"])
    );
    assert_eq!(body["at"]["isAtAll"], false);
}

#[test]
fn wecom_is_markdown_with_bold_title_and_link() {
    let body = wecom_body(&message());
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(
        body["markdown"]["content"],
        "**待审核：《星河S7 城市通勤 30 天》**\n账号：@小红书_阿May · 小红书\n提交人：李娜\n[在 KOX 中打开](https://kox.brand.cn/content/42)"
    );
    let no_link = wecom_body(&Message {
        link: None,
        ..message()
    });
    assert!(
        no_link["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("未设置 KOX 的访问地址，无法附上链接")
    );
}

#[test]
fn wecom_mentions_by_mobile_are_a_text_message() {
    let msg = Message {
        mention_mobiles: vec!["13800138000".to_owned()],
        ..message()
    };
    let body = wecom_body(&msg);
    assert_eq!(body["msgtype"], "text");
    assert_eq!(
        body["text"]["content"],
        "待审核：《星河S7 城市通勤 30 天》\n账号：@小红书_阿May · 小红书\n提交人：李娜\n在 KOX 中打开：https://kox.brand.cn/content/42"
    );
    assert_eq!(
        body["text"]["mentioned_mobile_list"],
        json!(["13800138000"])
    );
}

#[test]
fn long_messages_stay_within_every_limit_as_valid_utf8() {
    let msg = huge();
    let feishu = feishu_body(&msg, Some((1_599_360_473, feishu_sign(1, "s"))));
    let bytes = serde_json::to_vec(&feishu).unwrap();
    assert!(bytes.len() <= FEISHU_MAX_BYTES, "{}", bytes.len());
    assert!(String::from_utf8(bytes).is_ok());
    let content = feishu["card"]["elements"][0]["text"]["content"]
        .as_str()
        .unwrap();
    assert!(content.starts_with("第0行："));
    assert!(content.contains("行未显示"));
    assert!(content.ends_with("<at id=ou_abc123></at> @李娜"));
    assert_eq!(feishu["sign"], feishu_sign(1, "s"));

    let dingtalk = serde_json::to_vec(&dingtalk_body(&msg)).unwrap();
    assert!(dingtalk.len() <= DINGTALK_MAX_BYTES, "{}", dingtalk.len());
    assert!(String::from_utf8(dingtalk).is_ok());

    let markdown = wecom_body(&Message {
        mention_mobiles: Vec::new(),
        ..msg.clone()
    });
    let content = markdown["markdown"]["content"].as_str().unwrap();
    assert!(
        content.len() <= WECOM_MARKDOWN_MAX_BYTES,
        "{}",
        content.len()
    );
    assert!(content.ends_with("[在 KOX 中打开](https://kox.brand.cn/content/42)"));

    let text = wecom_body(&msg);
    let content = text["text"]["content"].as_str().unwrap();
    assert!(content.len() <= WECOM_TEXT_MAX_BYTES, "{}", content.len());
    assert_eq!(
        text["text"]["mentioned_mobile_list"],
        json!(["13800138000"])
    );

    // A single enormous line is shortened, not dropped.
    let one = Message {
        lines: vec!["长".repeat(10_000)],
        ..message()
    };
    let content = wecom_body(&one)["markdown"]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(content.len() <= WECOM_MARKDOWN_MAX_BYTES);
    assert!(content.contains("长长长…"));
}

#[test]
fn truncating_bytes_cuts_on_a_character_boundary() {
    assert_eq!(truncate_bytes("abc", 3), "abc");
    let cut = truncate_bytes("李娜李娜", 8);
    assert!(cut.len() <= 8);
    assert_eq!(cut, "李…");
    assert_eq!(truncate_bytes("ab😀cd", 7), "ab…");
}

#[test]
fn email_has_subject_text_link_and_why() {
    let msg = Message {
        title: "待审核：《星河S7》\r\nBcc: x@y.z".to_owned(),
        ..message()
    };
    assert_eq!(email_subject(&msg), "[KOX] 待审核：《星河S7》  Bcc: x@y.z");
    assert!(!email_subject(&msg).contains(['\r', '\n']));
    let text = email_text(&message());
    assert_eq!(
        text,
        "待审核：《星河S7 城市通勤 30 天》\n\n账号：@小红书_阿May · 小红书\n提交人：李娜\n\n在 KOX 中打开：https://kox.brand.cn/content/42\n\n你收到这封邮件，是因为你在 KOX 的通知设置中选择了邮件提醒。"
    );
    let no_link = email_text(&Message {
        link: None,
        ..message()
    });
    assert!(no_link.contains("未设置 KOX 的访问地址，无法附上链接"));
    assert_eq!(
        no_link.lines().last(),
        Some("你收到这封邮件，是因为你在 KOX 的通知设置中选择了邮件提醒。")
    );
}

#[test]
fn webhook_body_is_compact_json() {
    let event = json!({"event": "review_requested", "data": {"title": "星河", "id": 42}});
    let body = webhook_body(&event);
    assert_eq!(
        String::from_utf8(body.clone()).unwrap(),
        r#"{"data":{"id":42,"title":"星河"},"event":"review_requested"}"#
    );
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), event);
}

fn done(o: &Outcome) -> bool {
    *o == Outcome::Done
}
fn retry(o: &Outcome) -> bool {
    matches!(o, Outcome::Retry(_))
}
fn fail(o: &Outcome) -> bool {
    matches!(o, Outcome::Fail(_))
}

#[test]
fn http_statuses_are_read_alike_for_every_channel() {
    for kind in ChannelKind::ALL {
        for status in [408, 429, 500, 502, 503, 599] {
            let o = read_answer(kind, status, " busy ");
            assert_eq!(
                o,
                Outcome::Retry(format!("HTTP {status}: busy")),
                "{kind:?}"
            );
        }
        for status in [400, 401, 403, 404, 413, 302] {
            let o = read_answer(kind, status, "no");
            assert_eq!(o, Outcome::Fail(format!("HTTP {status}: no")), "{kind:?}");
        }
    }
    let long = "x".repeat(2000);
    let Outcome::Fail(reason) = read_answer(ChannelKind::Webhook, 400, &long) else {
        panic!("a 400 fails");
    };
    assert!(reason.chars().count() <= 510);
    assert!(done(&read_answer(ChannelKind::Webhook, 200, "")));
    assert!(done(&read_answer(ChannelKind::Webhook, 204, "anything")));
    assert!(done(&read_answer(ChannelKind::Email, 250, "")));
    assert!(done(&read_answer(ChannelKind::Email, 200, "")));
}

#[test]
fn feishu_answers_by_code() {
    let f = |body: &str| read_answer(ChannelKind::Feishu, 200, body);
    assert!(done(&f(
        r#"{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}"#
    )));
    assert!(done(&f(r#"{"code":0,"msg":"success","data":{}}"#)));
    assert!(done(&f(r#"{"StatusCode":0,"StatusMessage":"success"}"#)));
    assert!(retry(&f(r#"{"code":9499,"msg":"Too Many Request"}"#)));
    assert!(retry(&f(r#"{"code":11232,"msg":"frequency limited"}"#)));
    assert_eq!(
        f(
            r#"{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}"#
        ),
        Outcome::Fail(
            "飞书返回 19021: sign match fail or timestamp is not within one hour from current time"
                .to_owned()
        )
    );
    assert!(fail(&f(r#"{"code":19024,"msg":"Key Words Not Found"}"#)));
    assert!(fail(&f(r#"{"code":19001,"msg":"param invalid"}"#)));
    assert!(fail(&f("<html>ok</html>")));
    assert!(fail(&f("")));
    assert!(fail(&f(r#"{"data":{}}"#)));
    // Rate limited with a 4xx is still only rate limited.
    assert!(retry(&read_answer(
        ChannelKind::Feishu,
        400,
        r#"{"code":9499,"msg":"Too Many Request"}"#
    )));
}

#[test]
fn dingtalk_answers_by_errcode() {
    let d = |body: &str| read_answer(ChannelKind::Dingtalk, 200, body);
    assert!(done(&d(r#"{"errcode":0,"errmsg":"ok"}"#)));
    assert!(retry(&d(
        r#"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#
    )));
    assert!(retry(&d(r#"{"errcode":660026,"errmsg":"throttled"}"#)));
    assert_eq!(
        d(r#"{"errcode":310000,"errmsg":"sign not match"}"#),
        Outcome::Fail("钉钉返回 310000: sign not match".to_owned())
    );
    assert!(fail(&d(
        r#"{"errcode":300001,"errmsg":"token is not exist"}"#
    )));
    assert!(fail(&d("not json")));
}

#[test]
fn wecom_answers_by_errcode() {
    let w = |body: &str| read_answer(ChannelKind::Wecom, 200, body);
    assert!(done(&w(r#"{"errcode":0,"errmsg":"ok"}"#)));
    assert!(retry(&w(
        r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#
    )));
    assert!(retry(&w(r#"{"errcode":-1,"errmsg":"system busy"}"#)));
    assert_eq!(
        w(r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
        Outcome::Fail("企业微信返回 93000: invalid webhook url".to_owned())
    );
    assert!(fail(&w(
        r#"{"errcode":40008,"errmsg":"invalid message type"}"#
    )));
    assert!(fail(&w("{}")));
}
