-- Fine-tunings: one row per job, one per finished epoch. A job resumes from its last finished
-- epoch (whose weights are a checkpoint file under the model store's .fine-tuning/<id>/ folder).
create table fine_tuning (
  id varchar(36) primary key,
  state varchar(16) not null,
  model varchar(100) not null,
  parent_version integer not null,
  method varchar(32) not null,
  dataset varchar(128) not null,
  dataset_digest varchar(80) not null,
  validation_dataset varchar(128),
  validation_digest varchar(80),
  request varchar(100000) not null,
  seed bigint not null,
  progress varchar(10000),
  note varchar(4000),
  best_epoch integer,
  stopped_early varchar(1000),
  result_version integer,
  evaluations varchar(1000),
  created_at timestamp with time zone not null,
  started_at timestamp with time zone,
  finished_at timestamp with time zone,
  error varchar(4000)
);

create index fine_tuning_created on fine_tuning (created_at);
create index fine_tuning_model on fine_tuning (model, created_at);

create table fine_tuning_epoch (
  fine_tuning_id varchar(36) not null references fine_tuning (id) on delete cascade,
  epoch integer not null,
  loss double precision not null,
  training_accuracy double precision not null,
  clean_accuracy double precision not null,
  robust_accuracy double precision not null,
  seconds double precision not null,
  primary key (fine_tuning_id, epoch)
);
