package io.advlab.evaluate;

/** Where an evaluation is in its life. */
public enum EvaluationState { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }
