/**
 * Defences served in front of a model: the randomization defence of Xie et al. (2018), random
 * resize and zero-pad averaged over several draws, its request form ({@link io.advlab.defence.Defence}),
 * its draws, and the differentiable transform that classification and Expectation over
 * Transformation attacks share ({@link io.advlab.defence.Randomization}).
 */
package io.advlab.defence;
