package main

// Word pools shared by the generators. Neutral pools (shipping blurbs,
// details, sizes) are used for both labels so that form does not give the
// label away.

var genericNouns = map[string][]string{
	"shoes":       {"sneakers", "running shoes", "trainers", "basketball shoes", "high tops", "casual shoes", "skate shoes", "boots"},
	"bags":        {"handbag", "tote bag", "shoulder bag", "crossbody bag", "wallet", "purse", "backpack", "belt", "clutch"},
	"apparel":     {"hoodie", "jacket", "t-shirt", "puffer jacket", "sweatshirt", "track pants", "down coat", "scarf"},
	"watches":     {"watch", "automatic watch", "men's watch", "diver watch", "chronograph watch", "wristwatch"},
	"jewelry":     {"bracelet", "necklace", "ring", "pendant", "earrings", "bangle"},
	"electronics": {"smartphone", "wireless earbuds", "smart watch", "tablet", "headphones", "charger"},
	"audio":       {"headphones", "wireless earbuds", "bluetooth speaker", "over-ear headphones"},
	"cameras":     {"camera", "mirrorless camera", "camera lens", "digital camera"},
	"eyewear":     {"sunglasses", "polarized sunglasses", "aviator sunglasses", "glasses"},
	"toys":        {"building blocks set", "trading cards", "plush toy", "collector set"},
	"drinkware":   {"tumbler", "water bottle", "insulated cup", "travel mug"},
	"appliances":  {"hair dryer", "cordless vacuum", "hair styler", "air purifier"},
	"cosmetics":   {"lipstick", "foundation", "face serum", "makeup set", "setting spray"},
	"tools":       {"cordless drill", "impact driver", "battery pack", "power tool kit"},
	"golf":        {"driver", "golf balls", "iron set", "putter"},
}

var sizes = map[string][]string{
	"shoes":       {"US 9", "size 10.5", "EU 43", "UK 8", "sizes 36-45", "men's 11", "women's 7.5", "US5-US12", "EU 38", "size 9"},
	"bags":        {"30cm", "25 cm", "medium", "small", "MM", "PM", "GM", "mini", "large"},
	"apparel":     {"size M", "S-XXL", "L", "XL", "men's medium", "size S", "XS", "2XL"},
	"watches":     {"40mm", "41mm", "42mm", "36mm", "44mm", "39mm"},
	"jewelry":     {"16cm", "size 7", "17 cm", "45cm chain", "size 6"},
	"electronics": {"128GB", "256GB", "black", "white", "midnight", "2024 model"},
	"audio":       {"black", "white", "blue", "2024 model"},
	"cameras":     {"body only", "kit", "black"},
	"eyewear":     {"52mm", "54mm", "58mm", "black", "tortoise"},
	"toys":        {"new", "sealed", "2024"},
	"drinkware":   {"40oz", "30 oz", "20oz", "32 oz", "stainless"},
	"appliances":  {"nickel/copper", "fuchsia", "US plug", "2024 model"},
	"cosmetics":   {"full size", "shade 01", "30ml", "3g"},
	"tools":       {"2 batteries", "tool only", "kit"},
	"golf":        {"10.5°", "stiff", "regular flex", "right hand"},
	"fragrance":   {"100ml", "3.4 oz", "90ml", "50ml"},
	"accessories": {"90cm", "100 cm", "one size", "85cm"},
}

var colours = []string{"black", "white", "beige", "brown", "navy", "red", "green", "pink", "grey", "triple white", "cream",
	"olive", "burgundy", "blue", "gold", "silver", "tan", "black/white"}

var details = map[string][]string{
	"shoes": {"Rubber outsole and cushioned midsole.", "Fits true to size, go half a size up if between sizes.",
		"Comes with original box and extra laces.", "Leather and textile upper.", "Breathable mesh upper, lightweight.", "Padded collar."},
	"bags": {"Dimensions: 31 x 28 x 14 cm.", "Gold-tone hardware.", "Comes with dust bag.", "Adjustable strap, drop 55cm.",
		"Interior zip pocket and slip pocket.", "Coated canvas with leather trim.", "Magnetic snap closure."},
	"apparel": {"80% cotton, 20% polyester.", "Machine wash cold, hang dry.", "Relaxed fit.", "Model is 185cm and wears M.",
		"Water-repellent shell.", "Ribbed cuffs and hem.", "Two side pockets."},
	"watches": {"Automatic movement, 70h power reserve.", "Sapphire crystal, screw-down crown.", "Water resistant to 100m.",
		"Stainless steel case and bracelet.", "Box and papers included.", "Ceramic bezel.", "Keeps good time."},
	"jewelry": {"925 sterling silver.", "Comes in gift box with pouch.", "Nickel free.", "18k gold.", "Adjustable length 40-45cm.", "Polished finish."},
	"electronics": {"Unlocked, works with all carriers.", "Includes USB-C cable.", "1-year manufacturer warranty.",
		"Sealed in original packaging.", "Battery health 100%.", "Fast charging supported."},
	"audio": {"Active noise cancellation.", "Up to 30 hours battery life.", "Bluetooth 5.3.", "IP67 waterproof and dustproof.",
		"Includes carrying case.", "Multipoint pairing."},
	"cameras": {"24.2MP sensor.", "Shutter count under 2,000.", "Includes battery and charger.", "4K video.", "Lens caps included."},
	"eyewear": {"UV400 protection.", "Polarized lenses.", "Includes case and cleaning cloth.", "Lens width 50mm, bridge 22mm.", "Metal frame."},
	"toys":    {"Ages 18+.", "Factory sealed box.", "Includes instructions.", "Over 1,000 pieces.", "Great gift."},
	"drinkware": {"Double-wall vacuum insulation.", "Keeps drinks cold 24h, hot 12h.", "Dishwasher safe.", "BPA free.",
		"Fits most cup holders."},
	"appliances":  {"Up to 60 minutes run time.", "Includes 5 attachments.", "Comes with 2-year warranty.", "US plug, 110V.", "Cordless."},
	"cosmetics":   {"Full size.", "Sealed, never swatched.", "Long-wearing matte finish.", "Expiry 2027.", "30ml / 1 fl oz."},
	"tools":       {"Brushless motor.", "2 batteries and charger included.", "Variable speed trigger.", "Hard case included.", "LED work light."},
	"fragrance":   {"100ml spray bottle.", "Sealed in cellophane.", "Eau de parfum concentration.", "Notes of bergamot, rose and amber.", "Batch code on the box."},
	"accessories": {"Genuine leather.", "Adjustable length.", "Comes with box.", "Polished hardware.", "One size."},
	"golf":        {"Right-handed.", "Stiff flex shaft.", "Headcover included.", "10.5° loft.", "Tour-level spin."},
}

var newCondition = []string{"Brand new.", "New in box.", "BNWT.", "Never worn.", "Unopened.", "Brand new with tags.", "New, unused.", ""}

var shipping = []string{"Ships within 24 hours 📦", "Free shipping on orders over $50.", "Speedy dispatch, tracked delivery.",
	"Returns accepted within 30 days.", "Ships from our warehouse in New Jersey.", "International shipping available 🌍",
	"Ships from Guangzhou, 7-15 business days.", "Ships from Hong Kong.", "Combined shipping for multiple items.",
	"Message me with any questions!", "Bundle discounts available.", "Smoke-free, pet-free home.", "Fast shipping!",
	"Ships same day if ordered before 2pm.", "Free returns.", "Ships from Shenzhen, tracking number provided.",
	"Dispatched from the UK, Royal Mail tracked.", "Versand aus Deutschland.", "Nice gift for him or her 🎁", "Offers welcome."}

var emojis = []string{"🔥", "✨", "💯", "👟", "👜", "⌚", "📦", "🎁", "✅", "⭐", "❤️", "😍", "👀", "🆕", "💥"}

var hashtagsByCategory = map[string][]string{
	"shoes": {"#sneakers", "#kicks", "#streetwear", "#sneakerhead"}, "bags": {"#luxury", "#handbag", "#fashion", "#ootd"},
	"apparel": {"#streetwear", "#fashion", "#ootd", "#style"}, "watches": {"#watch", "#wristcheck", "#watchesofinstagram"},
	"jewelry": {"#jewelry", "#giftforher", "#sparkle"}, "electronics": {"#tech", "#gadgets", "#deal"}, "audio": {"#music", "#headphones"},
	"cameras": {"#photography", "#camera"}, "eyewear": {"#sunglasses", "#summer"}, "toys": {"#collector", "#toys"},
	"drinkware": {"#hydration", "#tumbler"}, "appliances": {"#home", "#hair"}, "cosmetics": {"#makeup", "#beauty"},
	"tools": {"#tools", "#diy"}, "golf": {"#golf", "#golfgear"},
}

var cuesTitleEN = []string{"1:1", "AAA", "AAA+", "Replica", "Rep", "Mirror Quality", "Super Copy", "UA", "OEM", "Top Grade",
	"7A", "10A", "1to1", "Best Version", "Copy", "Reps", "High Copy", "Master Quality", "Clone", "Same As Original",
	"Perfect Replica", "Grade AAA", "mirror", "replica", "aaa quality", "1:1 quality", "top quality copy", "High Quality Replica"}

var cuesDescEN = []string{"Top quality 1:1 with the original.", "AAA quality, same material as original.",
	"Mirror quality, all details correct.", "Super copy, you can't tell the difference.", "UA version, comes with box and receipt.",
	"OEM factory direct, same production line.", "Same as original, 99% similar.", "Top grade replica.", "High quality replica.",
	"Best replica on the market.", "1:1 mirror image, every stitch matches.", "7A grade, top materials.", "10A quality with all accessories.",
	"Factory leftover, unauthorized authentic.", "Perfect copy, passes any check.", "Best batch available.",
	"Looks exactly like the real one.", "High-end copy.", "The same as real, nobody will know.", "Master copy.",
	"Not original but top quality.", "Replica, for collection only.", "Copy version with full packaging.", "reps from the best factory"}

var cuesTitleZH = []string{"高仿", "A货", "复刻", "原单", "精仿", "顶级复刻", "1:1复刻", "莆田纯原", "公司级", "纯原版本", "超A",
	"尾单", "原厂皮", "专柜品质", "一比一", "高品质仿"}

var cuesDescZH = []string{"顶级复刻，细节做工与正品一致，支持专柜验货。", "原单品质，原厂皮料，五金logo清晰。",
	"高仿A货，包装配件齐全，送防尘袋。", "莆田纯原版本，鞋盒鞋标齐全，可过验。", "精仿版本，懂货的来，非诚勿扰。",
	"一比一复刻 品质保证 包邮", "工厂直销 高品质复刻 支持退换", "尾单货，数量有限，拍下即发。", "超A版本，和专柜对比无差别。"}

var neutralZH = []string{"顺丰包邮", "支持七天无理由退货", "拍下48小时内发货", "有问题请联系客服", "假一赔十", "全国联保"}

var lowPriceClaims = []string{"100% authentic.", "Genuine, guaranteed.", "Original product.", "Authentic, no fakes!",
	"Clearance sale, limited stock.", "Warehouse clearance, must go.", "Factory price!", "Best price online.", ""}

var resaleNotes = []string{"Receipt included.", "Original receipt and box included.", "Comes with box and papers.",
	"Serial number visible, see photos.", "Authenticated by Entrupy, certificate included.", "Authenticated by a third-party service.",
	"Minor scuffs on the corners, see pictures.", "Light signs of wear.", "Worn twice.", "Selling because it no longer fits.",
	"Bought at the boutique in 2021.", "From my personal collection.", "Full set.", "Happy to provide more photos.",
	"100% authentic or your money back.", "Purchased from an authorized dealer, card dated 2019."}

var resellerNotes = []string{"Bought from the brand store, receipt available.", "Selling because wrong size.", "Unworn, tags attached.",
	"Deadstock, never tried on.", "Sealed in original packaging.", "Gift I never used.", "Double boxed for shipping.",
	"Retail receipt on request.", "Store purchase, tags on."}

var boilerplate = []string{
	"Size chart: S chest 96cm / M 101cm / L 106cm / XL 111cm. Please allow 1-2cm difference due to manual measurement.",
	"Colour may vary slightly due to monitor settings.",
	"Payment: all major cards accepted. If you are happy with your purchase please leave 5 stars ⭐⭐⭐⭐⭐",
	"Items are inspected before dispatch and packed carefully in bubble wrap and a sturdy box.",
	"Import duties and taxes are not included in the item price and are the buyer's responsibility.",
	"Please check your size carefully before ordering; we are happy to help with sizing questions via messages.",
	"Orders placed on weekends ship on Monday. Tracking is uploaded within 24 hours of dispatch.",
	"We are a small family business, thank you for supporting us! 💕",
	"Spec: weight approx. 0.8 kg, packaging 35 x 25 x 12 cm.",
	"Returns: unworn items in original condition within 14 days; buyer pays return postage.",
}
