/**
 * Join links: the QR codes ({@code qr.svg}, {@code qr.png}) of a room's {@code joinUrl}.
 */
package dev.roomkeeper.joinlink;
