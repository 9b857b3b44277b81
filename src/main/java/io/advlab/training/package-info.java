/**
 * Adversarial fine-tuning: a model version trained further on adversarial (PGD, FGSM with a random
 * start), negative or clean images of a data set, as a durable job whose result is the model's
 * next version in the store, served beside its parent and evaluated against it.
 */
package io.advlab.training;
