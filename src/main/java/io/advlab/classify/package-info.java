/** Classification: the {@code /api/v1/classifications} endpoint and top-k predictions. */
package io.advlab.classify;
