package vectorpin

/*
#include <vectorpin.h>
*/
import "C"

import "sort"

// Reserved extra keys: a pin carrying them is bound to a record, a
// collection or a tenant, which Expectations can then require.
const (
	ExtraRecordID     = "vectorpin.record_id"
	ExtraCollectionID = "vectorpin.collection_id"
	ExtraTenantID     = "vectorpin.tenant_id"
)

// PinOptions are the optional settings of Signer.Pin. The zero value (or a
// nil *PinOptions) signs with protocol v2, hashes the vector as its own
// element type, stamps the time of signing and adds no model_hash or extra.
// The struct is read, never kept or changed, by the call it is passed to.
type PinOptions struct {
	// Protocol is 2, or 1 for legacy v1 pins; 0 means the default (2).
	Protocol int
	// Dtype is the type the vector is hashed as; DtypeDefault means the
	// element type of the slice passed.
	Dtype Dtype
	// ModelHash is an optional "sha256:<hex>" of the model; "" leaves it out.
	ModelHash string
	// Timestamp is a canonical YYYY-MM-DDTHH:MM:SSZ; "" means now.
	Timestamp string
	// Extra entries; see ExtraRecordID and friends for the reserved keys.
	Extra map[string]string
}

// toC builds the C options for one call; the caller frees the result (nil
// for nil options, which the C API reads as "all defaults").
func (o *PinOptions) toC() (*C.vectorpin_pin_options, error) {
	if o == nil {
		return nil, nil
	}
	var opts *C.vectorpin_pin_options
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_pin_options_new(&opts, &e), &e); err != nil {
		return nil, err
	}
	err := o.fill(opts, &e)
	if err != nil {
		C.vectorpin_pin_options_free(opts)
		return nil, err
	}
	return opts, nil
}

func (o *PinOptions) fill(opts *C.vectorpin_pin_options, e *C.vectorpin_error) error {
	if o.Protocol != 0 {
		if err := fromC(C.vectorpin_pin_options_set_protocol(opts, C.int(o.Protocol), e), e); err != nil {
			return err
		}
	}
	if o.Dtype != DtypeDefault {
		if err := fromC(C.vectorpin_pin_options_set_dtype(opts, C.vectorpin_dtype(o.Dtype), e), e); err != nil {
			return err
		}
	}
	if o.ModelHash != "" {
		p, n := cText(o.ModelHash)
		if err := fromC(C.vectorpin_pin_options_set_model_hash(opts, p, n, e), e); err != nil {
			return err
		}
	}
	if o.Timestamp != "" {
		p, n := cText(o.Timestamp)
		if err := fromC(C.vectorpin_pin_options_set_timestamp(opts, p, n, e), e); err != nil {
			return err
		}
	}
	// Sorted, so that of several bad entries the same one is reported every time.
	keys := make([]string, 0, len(o.Extra))
	for k := range o.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp, kn := cText(k)
		vp, vn := cText(o.Extra[k])
		if err := fromC(C.vectorpin_pin_options_set_extra(opts, kp, kn, vp, vn, e), e); err != nil {
			return err
		}
	}
	return nil
}

// Expectations are what a caller requires of a pin beyond its signature.
// An empty field is not checked. Model is compared exactly with the pin's
// model; the three ids with the reserved extra entries (a pin without the
// entry fails).
type Expectations struct {
	Model        string
	RecordID     string
	CollectionID string
	TenantID     string
}

func (x *Expectations) empty() bool {
	return x.Model == "" && x.RecordID == "" && x.CollectionID == "" && x.TenantID == ""
}

// toC builds the C expectations for one call; nil when nothing is expected.
func (x *Expectations) toC() (*C.vectorpin_expectations, error) {
	if x.empty() {
		return nil, nil
	}
	var out *C.vectorpin_expectations
	var e C.vectorpin_error
	if err := fromC(C.vectorpin_expectations_new(&out, &e), &e); err != nil {
		return nil, err
	}
	set := []struct {
		which C.vectorpin_expectation
		value string
	}{
		{C.VECTORPIN_EXPECT_MODEL, x.Model},
		{C.VECTORPIN_EXPECT_RECORD_ID, x.RecordID},
		{C.VECTORPIN_EXPECT_COLLECTION_ID, x.CollectionID},
		{C.VECTORPIN_EXPECT_TENANT_ID, x.TenantID},
	}
	for _, s := range set {
		if s.value == "" {
			continue
		}
		p, n := cText(s.value)
		if err := fromC(C.vectorpin_expectations_set(out, s.which, p, n, &e), &e); err != nil {
			C.vectorpin_expectations_free(out)
			return nil, err
		}
	}
	return out, nil
}
