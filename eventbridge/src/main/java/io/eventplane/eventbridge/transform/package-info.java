/**
 * What a rule's target receives for a matched event: {@link
 * io.eventplane.eventbridge.transform.TargetInput} validates a target's Input, InputPath or
 * InputTransformer at PutTargets and renders it per delivery. Pure code: no I/O, no clock.
 */
package io.eventplane.eventbridge.transform;
