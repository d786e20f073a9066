-- segscope order cells, Spark SQL dialect.
--
-- The pipeline's heavy first step, run where the order lines live: order
-- lines -> one row per order cell (docs/aggregates.md defines every column).
-- `segscope run --cells FILE` and the app's Data page read the result and
-- give the same results as the order lines themselves.
--
-- Input: a table or view named `orders` with the columns of SPEC section
-- 1.1, typed (a column the export lacks is a typed NULL):
--   order_id VARCHAR, order_date DATE, sku VARCHAR, quantity DOUBLE,
--   customer_id VARCHAR, unit_price DOUBLE, line_revenue DOUBLE,
--   unit_cost DOUBLE, line_cost DOUBLE, line_margin DOUBLE, weight_kg DOUBLE,
--   ship_mode VARCHAR, warehouse VARCHAR, region VARCHAR, channel VARCHAR,
--   promo BOOLEAN
-- (Spark types: STRING for VARCHAR.)
-- Parameter: the demand bucket of the analysis, 'day', 'week' or 'month',
-- substituted as a variable, e.g.
--   spark-sql --hivevar bucket=week -f order_cells.sql
-- Output: write the result as CSV with a header, e.g.
--   spark.sql(query).coalesce(1).write.option("header", True).csv(path)
-- sql/duckdb/order_cells.sql is the same query in DuckDB's dialect; a test
-- (sql/check.py) runs this file through sqlglot into DuckDB and checks that
-- both give the same cells.

WITH valid AS (
    -- SPEC 1.6 and 6: lines without order id, date, SKU or quantity are
    -- skipped; identifiers are trimmed, case kept; a missing customer is
    -- `(unknown)`.
    SELECT
        TRIM(order_id) AS order_id,
        order_date,
        TRIM(sku) AS sku,
        quantity,
        COALESCE(NULLIF(TRIM(customer_id), ''), '(unknown)') AS customer_id,
        unit_price,
        line_revenue,
        unit_cost,
        line_cost,
        line_margin,
        weight_kg,
        NULLIF(TRIM(ship_mode), '') AS ship_mode,
        NULLIF(TRIM(warehouse), '') AS warehouse,
        NULLIF(TRIM(region), '') AS region,
        NULLIF(TRIM(channel), '') AS channel,
        COALESCE(promo, FALSE) AS promo
    FROM orders
    WHERE NULLIF(TRIM(order_id), '') IS NOT NULL
      AND order_date IS NOT NULL
      AND NULLIF(TRIM(sku), '') IS NOT NULL
      AND quantity IS NOT NULL
),
priced AS (
    -- SPEC 2: a line's revenue; SPEC 4: the line's own unit cost (its
    -- unit_cost, else line_cost / quantity, else (revenue - line_margin) /
    -- quantity) and its price (unit_price, else line_revenue / quantity).
    SELECT
        *,
        COALESCE(line_revenue, quantity * unit_price, 0) AS revenue,
        COALESCE(
            unit_cost,
            CASE WHEN quantity <> 0 THEN line_cost / quantity END,
            CASE WHEN quantity <> 0
                THEN (COALESCE(line_revenue, quantity * unit_price, 0) - line_margin) / quantity
            END
        ) AS own_cost,
        COALESCE(unit_price, CASE WHEN quantity <> 0 THEN line_revenue / quantity END) AS price,
        SIGN(quantity) AS sign,
        CASE '${bucket}'
            WHEN 'day' THEN order_date
            WHEN 'week' THEN CAST(date_trunc('WEEK', order_date) AS DATE)
            WHEN 'month' THEN CAST(date_trunc('MONTH', order_date) AS DATE)
        END AS bucket_start
    FROM valid
),
shared AS (
    -- SPEC 5's `orders` driver: each positive line carries 1 / (positive
    -- lines of its order id). `first_of_order` marks one positive line per
    -- (customer, order id), so that a customer's cells add up to its
    -- distinct orders.
    SELECT
        *,
        CASE WHEN sign > 0
            -- DOUBLE, not DECIMAL: a decimal quotient would round 1/3.
            THEN CAST(1 AS DOUBLE) / SUM(CASE WHEN sign > 0 THEN 1 ELSE 0 END)
                OVER (PARTITION BY order_id)
            ELSE CAST(0 AS DOUBLE)
        END AS order_share,
        CASE WHEN sign > 0 AND ROW_NUMBER() OVER (
                PARTITION BY customer_id, order_id, sign > 0
                ORDER BY bucket_start, sku, ship_mode, warehouse, region, channel, promo,
                         own_cost IS NULL, price IS NULL, weight_kg IS NULL
            ) = 1
            THEN 1 ELSE 0
        END AS first_of_order,
        CASE WHEN own_cost IS NOT NULL THEN 'line'
             WHEN price IS NOT NULL THEN 'price'
             ELSE 'none'
        END AS cost_basis
    FROM priced
)
SELECT
    '${bucket}' AS bucket,
    bucket_start,
    sku,
    customer_id,
    ship_mode,
    warehouse,
    region,
    channel,
    promo,
    COUNT(*) AS lines,
    SUM(first_of_order) AS orders,
    SUM(order_share) AS order_share,
    SUM(quantity) AS quantity,
    SUM(revenue) AS revenue,
    SUM(CASE WHEN sign > 0 THEN GREATEST(revenue, 0) ELSE 0 END) AS value,
    SUM(quantity * own_cost) AS cost,
    SUM(CASE WHEN own_cost IS NULL THEN quantity * price END) AS price_value,
    SUM(quantity * weight_kg) AS weight
FROM shared
GROUP BY
    bucket_start, sku, customer_id, ship_mode, warehouse, region, channel, promo,
    sign, cost_basis, weight_kg IS NULL
ORDER BY
    bucket_start, sku, customer_id, ship_mode, warehouse, region, channel, promo,
    sign, cost_basis, weight_kg IS NULL
