-- Removes the data files that no current table version references any more and that were
-- removed more than the retention period ago (Delta's default: 7 days, delta.deletedFileRetentionDuration),
-- from every table that can hold a customer's rows. Run it after `crmlake forget`, once the retention
-- period has passed, e.g. weekly:
--
--   bin/crmlake sql -f conf/sql/vacuum-personal-data.sql
--
-- Until then the erased rows remain in older file versions (time travel) and in the change data feed
-- files of gold.customer_scores. After it, time travel to versions older than the retention period
-- is no longer possible. Each statement prints the path of the table it vacuumed.
VACUUM bronze.customers;
VACUUM bronze.orders;
VACUUM bronze.order_items;
VACUUM bronze.interactions;
VACUUM bronze.tickets;
VACUUM silver.customers;
VACUUM silver.customers_versions;
VACUUM silver.orders;
VACUUM silver.order_items;
VACUUM silver.interactions;
VACUUM silver.tickets;
VACUUM silver.quarantine;
VACUUM gold.customer_features;
VACUUM gold.customer_segments;
VACUUM gold.segment_history;
VACUUM gold.purchase_propensity;
VACUUM gold.recommendations;
VACUUM gold.customer_scores;
