//! The delivery log: each message to a channel or an inbox and its attempts, resending, and what
//! a worker needs to send one.

use std::collections::HashMap;

use kox_domain::WorkspaceId;
use kox_domain::notifications::{Delivery, DeliveryStatus, Message};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{delivery, notification_channel};
use crate::scoped;
use crate::{Result, Store, StoreError};

use super::{Outgoing, to_delivery};

impl Store {
    pub async fn list_deliveries(
        &self,
        ws: WorkspaceId,
        status: Option<DeliveryStatus>,
        before: Option<i64>,
        limit: u64,
    ) -> Result<Vec<Delivery>> {
        let mut q = scoped::in_ws::<delivery::Entity>(ws);
        if let Some(s) = status {
            q = q.filter(delivery::Column::Status.eq(s.as_str()));
        }
        if let Some(b) = before {
            q = q.filter(delivery::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(delivery::Column::Id)
            .limit(limit)
            .all(&self.read)
            .await?;
        let channels: HashMap<i64, String> = scoped::in_ws::<notification_channel::Entity>(ws)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| to_delivery(r, &channels))
            .collect())
    }

    /// Sends a delivery again (a dead letter after the channel was fixed, or a resend).
    pub async fn retry_delivery(&self, ws: WorkspaceId, id: i64) -> Result<Delivery> {
        let row = scoped::by_id::<delivery::Entity>(ws, id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let Some(job) = row.job_id else {
            return Err(StoreError::NotFound);
        };
        self.retry_job(Some(ws), job).await?;
        let row = scoped::by_id::<delivery::Entity>(ws, id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Named as the delivery log names it.
        let channels: HashMap<i64, String> = match row.channel_id {
            Some(c) => scoped::by_id::<notification_channel::Entity>(ws, c)
                .one(&self.read)
                .await?
                .map(|c| (c.id, c.name))
                .into_iter()
                .collect(),
            None => HashMap::new(),
        };
        Ok(to_delivery(row, &channels))
    }

    /// A delivery as the worker sends it: its message, event, channel and secret.
    pub async fn outgoing(&self, ws: WorkspaceId, delivery_id: i64) -> Result<Outgoing> {
        let row = scoped::by_id::<delivery::Entity>(ws, delivery_id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (channel, secret) = match row.channel_id {
            Some(c) => match self.channel_for_send(ws, c).await {
                Ok((ch, s)) => (Some(ch), s),
                Err(StoreError::NotFound) => (None, None),
                Err(e) => return Err(e),
            },
            None => (None, None),
        };
        let message: Message = serde_json::from_value(row.message.clone()).unwrap_or_default();
        let event = row.event.clone();
        let entity = event
            .get("entity")
            .and_then(|e| Some((e.get("type")?.as_str()?.to_owned(), e.get("id")?.as_i64()?)));
        Ok(Outgoing {
            delivery: to_delivery(row, &HashMap::new()),
            workspace_id: ws,
            message,
            event,
            channel,
            secret,
            entity,
        })
    }
}
