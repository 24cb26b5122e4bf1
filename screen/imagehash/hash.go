package imagehash

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
)

// Hash is a 256-bit PDQ hash.
//
// The bytes are in the order of the reference hex encoding: the hash read as
// a big-endian 256-bit integer in which bit k is DCT coefficient k (row-major
// over the 16x16 low-frequency block). The reference prints its sixteen
// 16-bit words from the last to the first, each as four hex digits, which is
// exactly that big-endian integer, so String is a plain hex encoding.
type Hash [32]byte

// ErrBadHex is returned by ParseHex for input that is not 64 hex digits.
var ErrBadHex = errors.New("imagehash: PDQ hash must be 64 hex digits")

// ParseHex parses the 64-hex-digit form printed by the reference tools.
func ParseHex(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, fmt.Errorf("%w: got %d characters", ErrBadHex, len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("%w: %v", ErrBadHex, err)
	}
	return h, nil
}

// String returns the 64-hex-digit reference encoding.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Distance is the Hamming distance between two hashes (0..256).
func (h Hash) Distance(o Hash) int {
	d := 0
	for i := 0; i < len(h); i += 8 {
		d += bits.OnesCount64(binary.LittleEndian.Uint64(h[i:]) ^ binary.LittleEndian.Uint64(o[i:]))
	}
	return d
}

// Bit reports whether coefficient bit k (0..255) is set.
func (h Hash) Bit(k int) bool { return h[31-k/8]>>(k%8)&1 == 1 }

// setBit sets coefficient bit k; see the layout note on Hash.
func (h *Hash) setBit(k int) { h[31-k/8] |= 1 << (k % 8) }

// Words returns the hash as four 64-bit words, a form that indexes use for
// fast XOR/popcount; the mapping is fixed and FromWords inverts it.
func (h Hash) Words() [4]uint64 {
	return [4]uint64{
		binary.BigEndian.Uint64(h[0:]),
		binary.BigEndian.Uint64(h[8:]),
		binary.BigEndian.Uint64(h[16:]),
		binary.BigEndian.Uint64(h[24:]),
	}
}

// FromWords is the inverse of Words.
func FromWords(w [4]uint64) Hash {
	var h Hash
	for i, x := range w {
		binary.BigEndian.PutUint64(h[8*i:], x)
	}
	return h
}
