/**
 * EventBridge: event buses, rules with event patterns, targets with input transformation, retries
 * and dead-letter queues, archives and replays, schedules.
 */
package io.eventplane.eventbridge;
