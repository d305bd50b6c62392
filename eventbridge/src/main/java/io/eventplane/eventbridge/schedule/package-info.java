/**
 * Rule schedules: {@link io.eventplane.eventbridge.schedule.ScheduleExpression} parses
 * {@code rate(...)} and {@code cron(...)} as EventBridge accepts them and computes the next firing
 * in UTC. Pure code: the service keeps the durable timer and the clock.
 */
package io.eventplane.eventbridge.schedule;
