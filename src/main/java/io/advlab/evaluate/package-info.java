/**
 * Robustness evaluations: a model's accuracy on a whole data set, clean and under attacks swept
 * over eps, run as durable jobs. Jobs, shards and per-image outcomes live in the database
 * (Flyway schema, JdbcClient); JobRunr runs the shards on whichever replica is free, retries failed
 * ones and survives restarts; every attack goes through the same engine as single requests.
 */
package io.advlab.evaluate;
