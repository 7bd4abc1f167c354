/**
 * Cold start: the training run that a JDK AOT cache is recorded from
 * ({@code aot-training.sh}, docs/cold-start.md).
 */
package dev.roomkeeper.coldstart;
