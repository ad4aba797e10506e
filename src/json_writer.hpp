// JSON string escaping shared by the canonical pin writer and by tools that
// print JSON.
#pragma once

#include <string>
#include <string_view>

namespace vectorpin {

// Appends `s` (valid UTF-8) as a JSON string with the protocol's escapes:
// \" \\ \b \f \n \r \t, other U+0000..U+001F as \u00xx, everything else raw.
// With `ascii_only`, non-ASCII is written as \uxxxx escapes (surrogate pairs
// above U+FFFF), as some tools expect.
void append_json_string(std::string& out, std::string_view s, bool ascii_only = false);

}  // namespace vectorpin
