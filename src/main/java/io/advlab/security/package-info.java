/**
 * Who may change the service: reading and inference are open, management writes (the model
 * registry, later fine-tuning jobs) and operator-only actuator endpoints need admin credentials,
 * a static bearer token or a JWT with the admin scope from a gateway's identity provider.
 * {@link io.advlab.security.AdminRequests} is the one list of what needs them; without any
 * credentials configured those requests are disabled, as TorchServe disables its management API
 * unless asked. Every refusal is an RFC 9457 problem+json body like the rest of the API.
 */
package io.advlab.security;
