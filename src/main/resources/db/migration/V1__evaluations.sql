-- Robustness evaluations: one row per job, one per cell (an attack at one eps), one per shard (a
-- few dozen images of one cell). A shard's per-image outcomes are written once, when it finishes;
-- a shard that is run again after a crash finds itself done and counts nothing twice.
create table evaluation (
  id varchar(36) primary key,
  state varchar(16) not null,
  model varchar(100) not null,
  dataset varchar(128) not null,
  dataset_digest varchar(80) not null,
  request varchar(1000000) not null,
  seed bigint not null,
  images integer not null,
  shard_size integer not null,
  created_at timestamp with time zone not null,
  started_at timestamp with time zone,
  finished_at timestamp with time zone,
  error varchar(4000)
);

create index evaluation_created on evaluation (created_at);

create table evaluation_cell (
  evaluation_id varchar(36) not null references evaluation (id) on delete cascade,
  cell integer not null,
  method varchar(32) not null,
  eps double precision,
  params varchar(100000) not null,
  primary key (evaluation_id, cell)
);

create table evaluation_shard (
  evaluation_id varchar(36) not null references evaluation (id) on delete cascade,
  cell integer not null,
  shard integer not null,
  first_image integer not null,
  image_count integer not null,
  state varchar(16) not null,
  outcomes varchar(1000000),
  elapsed_ms bigint,
  finished_at timestamp with time zone,
  worker varchar(200),
  example varchar(2000000),
  primary key (evaluation_id, cell, shard)
);
